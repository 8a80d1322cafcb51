package io.metricsagent.it.kotlinapp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Java callers of the Kotlin shapes: only Java calls the static wrapper that {@code @JvmStatic}
 * adds to {@link Gateways}, and the overloads that {@code @JvmOverloads} adds.
 */
final class JavaCallers {

    private JavaCallers() {}

    static List<String> run() {
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            double amount = n == 4 ? -1.0 : 2.5;
            lines.add(outcome("java_jvmstatic", n, () -> Gateways.staticCharge(amount, "from_java")));
        }
        for (int n = 0; n < 4; n++) {
            lines.add(outcome("java_object_jvmstatic", n, () -> Registry.register(2.5, "from_java")));
        }
        for (int n = 0; n < 2; n++) {
            lines.add(outcome("java_jvmstatic_overloads", n, () -> Gateways.of(2.5)));
            lines.add(outcome("java_jvmstatic_overloads", n, () -> Gateways.of(2.5, "from_java")));
            lines.add(outcome("java_jvmstatic_overloads", n, () -> Gateways.of(2.5, "from_java_full", "java_method")));
        }
        Overloads overloads = new Overloads();
        for (int n = 0; n < 2; n++) {
            lines.add(outcome("java_jvmoverloads", n, () -> overloads.pay(2.5)));
            lines.add(outcome("java_jvmoverloads", n, () -> overloads.pay(2.5, "from_java")));
            lines.add(outcome("java_jvmoverloads", n, () -> overloads.pay(2.5, "from_java_full", "java_method")));
        }
        lines.add(outcome("java_jvmoverloads", 2, () -> overloads.pay(-1.0)));
        return lines;
    }

    private static String outcome(String shape, int n, Supplier<String> call) {
        try {
            return shape + " " + n + " ok " + call.get();
        } catch (RuntimeException e) {
            return shape + " " + n + " failed " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
