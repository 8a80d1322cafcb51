package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kotlin application ({@code it/kotlin-app}): {@code @MeteredPayment} on every shape the Kotlin
 * compiler gives a function, run without and with the agent on each JDK. Each logical call counts
 * once, with the labels and amount of its arguments and its real duration: a suspend function's
 * from its first entry to its completion, across every suspension, although its JVM method is
 * entered again on each resumption with zeros for arguments (an open function's body is in its
 * {@code $suspendImpl}); one whose only suspension is a tail call is timed until it hands off.
 * {@code @JvmStatic} wrappers and {@code @JvmOverloads} overloads, which carry a copy of the
 * annotation and call the real method, add nothing.
 */
class KotlinIT {

    private static final String MAIN = "io.metricsagent.it.kotlinapp.KotlinAppKt";

    @OnEveryJdk
    void eachLogicalCallCountsOnceWithItsArgumentsAndItsRealDuration(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        String classPath = Artifacts.classPath(Artifacts.kotlinDir(), "kotlin-app");
        // The recursive suspend function again, by two rules: its outermost calls, and every level.
        Path config = dir.resolve("nesting.yml");
        Files.writeString(config, ""
                + "metrics:\n"
                + "  - class: io.metricsagent.it.kotlinapp.Settlement\n"
                + "    method: settleInParts\n"
                + "    name: kt_parts_outermost\n"
                + "    in_flight: true\n"
                + "  - class: io.metricsagent.it.kotlinapp.Settlement\n"
                + "    method: settleInParts\n"
                + "    name: kt_parts_levels\n"
                + "    nesting: all\n");
        try (JvmProcess bare = AgentJvm.on(java).main(classPath, MAIN).args("serve").start();
             JvmProcess agent = AgentJvm.on(java).agent("port=0", "host=127.0.0.1", "config=" + config)
                     .main(classPath, MAIN).args("serve").start()) {
            bare.awaitStdout("^ready$");
            agent.awaitStdout("^ready$");
            int port = agent.metricsPort();

            // The agent changes no outcome of any call (the timings differ from run to run).
            assertEquals(outcomes(bare.stdout()), outcomes(agent.stdout()));
            assertEquals(List.of(), bare.stderr(), bare::describe);
            for (String line : agent.stderr()) {
                assertTrue(line.startsWith("[metrics-agent] ") || line.contains("Sharing is only supported for boot loader classes"),
                        "unexpected stderr line: " + line);
            }

            Exposition m = Exposition.scrape(port);
            Map<String, Shape> shapes = shapes(agent);
            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertEquals(new TreeSet<>(shapes.keySet()), gateways(m), "gateways on /metrics"));
            // Four calls of three levels each, every level suspending and resuming on another thread.
            checks.add(() -> assertEquals(4, m.counter("kt_parts_outermost_total", "outcome=success"), "outermost"));
            checks.add(() -> assertEquals(4, m.histogramCount("kt_parts_outermost_duration_seconds"), "outermost"));
            checks.add(() -> assertEquals(0, m.gauge("kt_parts_outermost_in_flight"), "in flight"));
            checks.add(() -> assertEquals(16, m.counter("kt_parts_levels_total", "outcome=success"), "every level"));
            for (Shape shape : shapes.values()) {
                checks.addAll(shape.checks(m));
            }
            // Every shape is checked and every failure reported, so that one run tells which shapes miscount.
            assertAll(jdk, checks);
        }
    }

    private static List<String> outcomes(List<String> stdout) {
        return stdout.stream().filter(line -> !line.startsWith("time ")).collect(Collectors.toList());
    }

    private static Set<String> gateways(Exposition m) {
        return m.family("payment_requests_total").getMetricList().stream()
                .map(series -> Exposition.labels(series).get("gateway"))
                .filter(gateway -> gateway.startsWith("kt_"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What the application made of each shape, by gateway (also its currency and its service). */
    private static Map<String, Shape> shapes(JvmProcess app) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        add(shapes, new Shape("kt_member").calls("member_tier", 8, 2).methods("card", 10).amountSum(30)
                .error("IllegalArgumentException", "medium", 2));

        // seq: n = 0..9, par: n = 0..39; n % 5 == 4 is 1500 and fails after suspending (high),
        // n % 10 == 7 is negative and fails before suspending (medium), the others settle 20.
        add(shapes, new Shape("kt_suspend").calls("seq", 7, 3).calls("par", 28, 12).methods("card", 50)
                .amountSum(35 * 20.0 + 10 * 1500.0 - 5)
                .error("IllegalStateException", "high", 10).error("IllegalArgumentException", "medium", 5)
                .fasterThan(0.1, 5).bounds(app));
        add(shapes, new Shape("kt_suspend_nosusp").calls("nosusp_tier", 16, 4).amountSum(16 * 7.0 - 4 * 7.0)
                .error("IllegalArgumentException", "medium", 4));
        // Only the calls over 100 suspend, for 260 ms: the ten of 50 complete at once.
        add(shapes, new Shape("kt_suspend_maybe").calls("maybe_tier", 20, 0).amountSum(10 * 50.0 + 10 * 500.0)
                .fasterThan(0.25, 10).bounds(app));
        // A tail call hands its continuation on and returns: it has no state machine the agent could
        // follow, so its duration runs until the hand-off (documented), far under its 110 ms of work.
        add(shapes, new Shape("kt_suspend_tail").calls("tail_tier", 6, 0).amountSum(6 * 30.0)
                .fasterThan(0.1, 6));
        // Four calls of three levels and a last one that returns at once: sixteen calls.
        add(shapes, new Shape("kt_suspend_recursive").calls("recursive_tier", 16, 0).amountSum(16).bounds(app));
        add(shapes, new Shape("kt_suspend_open").calls("open_tier", 10, 0).amountSum(10 * 12.0)
                .fasterThan(0.1, 0).bounds(app));

        // Kotlin calls the companion's method, Java the static wrapper: both once.
        add(shapes, new Shape("kt_jvmstatic").calls("from_kotlin", 4, 1).calls("from_java", 4, 1).amountSum(8 * 2.5 - 2)
                .error("IllegalArgumentException", "medium", 2));
        add(shapes, new Shape("kt_object_jvmstatic").calls("from_kotlin", 4, 0).calls("from_java", 4, 0).amountSum(8 * 2.5));
        // Kotlin defaulting goes through of$default, Java through the overloads (and the static wrappers).
        add(shapes, new Shape("kt_jvmstatic_overloads").calls("default_tier", 4, 0).calls("from_kotlin", 2, 0)
                .calls("from_java", 2, 0).calls("from_java_full", 2, 0)
                .methods("default_method", 6).methods("kotlin_method", 2).methods("java_method", 2).amountSum(10 * 2.5));
        add(shapes, new Shape("kt_jvmoverloads").calls("default_tier", 4, 1).calls("from_kotlin", 2, 0)
                .calls("from_java", 2, 0).calls("from_java_full", 2, 0)
                .methods("default_method", 7).methods("kotlin_method", 2).methods("java_method", 2).amountSum(10 * 2.5 - 1)
                .error("IllegalArgumentException", "medium", 1));

        add(shapes, new Shape("kt_toplevel").calls("toplevel_tier", 5, 1).amountSum(5 * 4.0 + 2000)
                .error("IllegalStateException", "high", 1));
        // The receiver is the amount: the over-the-limit call's severity tells that it was read.
        add(shapes, new Shape("kt_extension").calls("extension_tier", 5, 1).amountSum(5 * 3.0 + 5000)
                .error("IllegalStateException", "high", 1));
        // Non-local returns from, and a throw inside, the inlined forEach lambda.
        add(shapes, new Shape("kt_inline_lambda").calls("lambda_tier", 6, 2).amountSum(8 * 100.0)
                .error("IllegalArgumentException", "medium", 2));
        return shapes;
    }

    private static void add(Map<String, Shape> shapes, Shape shape) {
        shapes.put(shape.gateway, shape);
    }

    /** The expected numbers of one shape. */
    private static final class Shape {
        final String gateway;
        final Map<String, Long> tiers = new TreeMap<>(); // "user_tier status" -> count, 0 left out
        long success;
        long failed;
        final Map<String, Long> methods = new TreeMap<>(); // payment_method -> duration count
        final Map<String, Long> errors = new TreeMap<>(); // "type severity" -> count
        double amountSum;
        double bucket = Double.NaN;
        long fasterCount;
        double insideSeconds = Double.NaN;
        double aroundSeconds = Double.NaN;

        Shape(String gateway) {
            this.gateway = gateway;
        }

        Shape calls(String tier, long success, long failed) {
            if (success > 0) {
                tiers.put(tier + " success", success);
            }
            if (failed > 0) {
                tiers.put(tier + " failed", failed);
            }
            this.success += success;
            this.failed += failed;
            return this;
        }

        Shape methods(String method, long count) {
            methods.put(method, count);
            return this;
        }

        Shape amountSum(double value) {
            amountSum = value;
            return this;
        }

        Shape error(String type, String severity, long count) {
            errors.put(type + " " + severity, count);
            return this;
        }

        /** {@code count} calls took at most {@code le} seconds, the others longer. */
        Shape fasterThan(double le, long count) {
            bucket = le;
            fasterCount = count;
            return this;
        }

        /**
         * The sum of the durations lies between the times the application measured inside its calls
         * (the time they spent suspended) and around them (the time their callers waited).
         */
        Shape bounds(JvmProcess app) {
            Matcher time = app.awaitStdout("^time " + gateway + " inside_ns=(\\d+) around_ns=(\\d+)$");
            insideSeconds = Long.parseLong(time.group(1)) / 1e9;
            aroundSeconds = Long.parseLong(time.group(2)) / 1e9;
            return this;
        }

        List<Executable> checks(Exposition m) {
            String g = "gateway=" + gateway;
            long calls = success + failed;
            Expected.Table byTier = new Expected.Table("payment_requests_total{gateway=" + gateway + ", user_tier, status} != 0");
            tiers.forEach(byTier::row);
            Expected.Table byMethod = new Expected.Table("payment_duration_seconds_count{gateway=" + gateway + ", payment_method}");
            (methods.isEmpty() ? Map.of("unknown", calls) : methods).forEach(byMethod::row);
            String tables = BehaviourIT.paymentTables(gateway, gateway, success, failed, calls, errors) + byTier + byMethod;
            List<Executable> checks = new ArrayList<>();
            checks.add(() -> Expected.assertSamples(m, gateway, tables));
            checks.add(() -> assertEquals(amountSum, m.histogramSum("payment_amount_usd", "currency=" + gateway), 1e-9,
                    gateway + " amount sum"));
            if (!Double.isNaN(bucket)) {
                checks.add(() -> assertEquals(fasterCount, m.bucket("payment_duration_seconds", bucket, g),
                        gateway + " calls of at most " + bucket + " s"));
            }
            if (!Double.isNaN(insideSeconds)) {
                double sum = m.histogramSum("payment_duration_seconds", g);
                checks.add(() -> assertTrue(sum >= insideSeconds, gateway + " duration sum " + sum
                        + " s is less than the " + insideSeconds + " s measured inside its calls"));
                checks.add(() -> assertTrue(sum <= aroundSeconds, gateway + " duration sum " + sum
                        + " s is more than the " + aroundSeconds + " s measured around its calls"));
            }
            return checks;
        }
    }
}
