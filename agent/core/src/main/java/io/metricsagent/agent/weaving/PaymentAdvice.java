package io.metricsagent.agent.weaving;

import io.metricsagent.bootstrap.PaymentBridge;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every {@code @MeteredPayment} method. Both halves suppress their own failures, and
 * the exit runs on a throw as well as on a return, then lets the method's own exception or value
 * pass unchanged. What differs between methods (the recorder id and which parameters hold the
 * labels) is bound as constants and argument reads when the method is woven.
 */
final class PaymentAdvice {

    private PaymentAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@RecorderId int id,
                     @Advice.Enter long start,
                     @AmountValue double amount,
                     @AmountObject Object amountRef,
                     @TierArgument Object tier,
                     @MethodArgument Object method,
                     @Advice.Thrown Throwable thrown) {
        PaymentBridge.record(id, start, amount, amountRef, tier, method, thrown);
    }

    /** The method's id in {@link PaymentBridge}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface RecorderId {}

    /** The {@code @Amount} argument when it is a primitive number, else 0. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface AmountValue {}

    /** The {@code @Amount} argument when it is an object, else {@code null}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface AmountObject {}

    /** The {@code @UserTier} argument, or {@code null}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface TierArgument {}

    /** The {@code @Method} argument, or {@code null}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface MethodArgument {}
}
