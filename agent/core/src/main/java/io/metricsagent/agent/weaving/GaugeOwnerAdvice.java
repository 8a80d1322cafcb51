package io.metricsagent.agent.weaving;

import io.metricsagent.bootstrap.GaugeBridge;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of each constructor of a class with {@code @MeteredGauge} instance accessors. */
final class GaugeOwnerAdvice {

    private GaugeOwnerAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@ClassId int id, @Advice.This Object self) {
        GaugeBridge.track(id, self);
    }

    /** The class's id in {@link GaugeBridge}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface ClassId {}
}
