package io.metricsagent.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once on each JDK of {@link Jdks#all()}, its first two parameters the JDK's name and
 * its {@code java}; a leg whose JDK is not installed is skipped, saying so.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("io.metricsagent.it.Jdks#all")
@ExtendWith(OnEveryJdk.SkipMissing.class)
@interface OnEveryJdk {

    /** Skips a leg whose {@code java} is {@code null} before the test body runs. */
    final class SkipMissing implements InvocationInterceptor {
        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                                ReflectiveInvocationContext<Method> invocationContext,
                                                ExtensionContext extensionContext) throws Throwable {
            Object[] arguments = invocationContext.getArguments().toArray();
            if (arguments[1] == null) {
                invocation.skip();
            }
            Jdks.assumeInstalled((String) arguments[0], (Path) arguments[1]);
            invocation.proceed();
        }
    }
}
