package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/**
 * The hostile application ({@code it/hostile-app}): {@code @MeteredPayment} methods of every awkward
 * shape (all primitive returns, arrays, checked and unchecked exceptions and errors, recursion,
 * synchronized, varargs, bridges, default methods, overrides, more than ten parameters, odd amounts
 * and label values, abstract and native methods), run without and with the agent on each JDK.
 * The agent must change nothing the application can see (each call's outcome, down to exception
 * identity and stack frames), and /metrics must count each case exactly as documented.
 */
class BehaviourIT {

    /** What {@code HostileApp.ESCAPE_TIER} holds. */
    private static final String ESCAPE_TIER = "tier \"quoted\" \\ back\nslash \u00fcn\u00efc\u00f8d\u00e9 \u65e5\u672c";
    /** Annotated methods with a body that are not bridges: what the agent weaves. */
    private static final int INSTRUMENTED_METHODS = 46;
    private static final String HOSTILE_APP = "io.metricsagent.it.hostile.HostileApp";
    private static final String ANONYMOUS_EXCEPTION = "io.metricsagent.it.hostile.AnonymousThrower$1";

    @OnEveryJdk
    void theAgentChangesNothingTheApplicationSeesAndCountsEveryCaseExactly(String jdk, Path java) throws Exception {
        String classPath = Artifacts.classPath(Artifacts.hostileDir(), "hostile-app");
        try (JvmProcess bare = AgentJvm.on(java).main(classPath, HOSTILE_APP).args("serve").start();
             JvmProcess agent = AgentJvm.on(java).agent("port=0", "host=127.0.0.1")
                     .main(classPath, HOSTILE_APP).args("serve").start()) {
            bare.awaitStdout("^ready$");
            agent.awaitStdout("^ready$");
            int port = agent.metricsPort();

            // 1. The same outcome of every call, line for line.
            List<String> bareOut = bare.stdout();
            assertTrue(bareOut.contains("annotated " + INSTRUMENTED_METHODS), bare::describe);
            assertTrue(bareOut.contains("threads done total=80000"), bare::describe);
            assertEquals(String.join("\n", bareOut), String.join("\n", agent.stdout()));
            assertEquals(List.of(), bare.stderr(), bare::describe);

            // 4. stderr: the agent's own lines and the JVM's CDS note only; the body-less methods named.
            List<String> agentErr = agent.stderr();
            for (String line : agentErr) {
                assertTrue(line.startsWith("[metrics-agent] ") || line.contains("Sharing is only supported for boot loader classes"),
                        "unexpected stderr line: " + line);
            }
            assertTrue(agentErr.contains("[metrics-agent] @MeteredPayment on io.metricsagent.it.hostile.AbstractPayer.pay()"
                    + " is ignored: it has no body"), agent::describe);
            assertTrue(agentErr.contains("[metrics-agent] @MeteredPayment on io.metricsagent.it.hostile.NativeHolder.nativePay()"
                    + " is ignored: it has no body"), agent::describe);

            Exposition m = Exposition.scrape(port);
            // 3. The agent's health.
            assertEquals(0, m.counter(counterName(m, "metrics_agent_transformation_errors")));
            assertEquals(0, m.counter(counterName(m, "metrics_agent_internal_errors"), "component=advice"));
            assertEquals(INSTRUMENTED_METHODS, m.gauge("metrics_agent_instrumented_methods"));

            // 2. Every case counted exactly as documented, every case that miscounts reported.
            Map<String, Case> cases = cases();
            List<Executable> checks = new ArrayList<>();
            for (Case c : cases.values()) {
                checks.addAll(c.checks(m));
            }
            assertAll(jdk, checks);
            Set<String> gateways = m.family("payment_requests_total").getMetricList().stream()
                    .map(series -> Exposition.labels(series).get("gateway"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(cases.keySet()), gateways, "gateways on /metrics (abstract and native never appear)");

            assertLabels(m);
            assertTextEscaping(port);
        }
    }

    /** Counters may carry the _total suffix in the protobuf family name or not. */
    private static String counterName(Exposition m, String base) {
        return m.has(base + "_total") ? base + "_total" : base;
    }

    /** Label values from arguments: null, escaped characters, truncation, bridges, threads. */
    private static void assertLabels(Exposition m) {
        assertEquals(6, m.counter("payment_requests_total", "gateway=case_null_labels", "user_tier=unknown", "status=success"));
        assertEquals(6, m.histogramCount("payment_duration_seconds", "gateway=case_null_labels", "payment_method=unknown"));
        assertEquals(6, m.histogramCount("payment_amount_usd", "currency=case_null_labels", "user_tier=unknown"));

        assertEquals(3, m.counter("payment_requests_total", "gateway=case_escape", "user_tier=" + ESCAPE_TIER));
        assertEquals(3, m.histogramCount("payment_duration_seconds", "gateway=case_escape", "payment_method=" + ESCAPE_TIER));
        assertEquals(3, m.histogramCount("payment_amount_usd", "currency=case_escape", "user_tier=" + ESCAPE_TIER));

        String tier = longLabel('t');
        String method = longLabel('m');
        assertEquals(200, tier.length());
        assertEquals(3, m.counter("payment_requests_total", "gateway=case_truncate", "user_tier=" + tier.substring(0, 128)));
        assertEquals(3, m.histogramCount("payment_duration_seconds", "gateway=case_truncate",
                "payment_method=" + method.substring(0, 128)));
        assertEquals(Set.of(tier.substring(0, 128)), labelValues(m, "payment_requests_total", "case_truncate", "user_tier"));
        // A surrogate pair straddling the bound is not split: the high surrogate goes too.
        assertEquals(Set.of("a".repeat(127)), labelValues(m, "payment_requests_total", "case_truncate_surrogate", "user_tier"));

        assertEquals(3, m.counter("payment_requests_total", "gateway=case_bridge", "status=success", "user_tier=via_interface"));
        assertEquals(3, m.counter("payment_requests_total", "gateway=case_bridge", "status=success", "user_tier=direct"));
        assertEquals(1, m.counter("payment_requests_total", "gateway=case_bridge", "status=failed", "user_tier=boom"));

        assertEquals(5, m.counter("payment_requests_total", "gateway=case_default", "status=success", "user_tier=friend"));
        assertEquals(1, m.counter("payment_requests_total", "gateway=case_default", "status=failed", "user_tier=unknown"));

        assertEquals(6, m.counter("payment_requests_total", "gateway=case_many_params", "user_tier=many_tier"));
        assertEquals(3, m.histogramCount("payment_duration_seconds", "gateway=case_many_params", "payment_method=m0"));
        assertEquals(3, m.histogramCount("payment_duration_seconds", "gateway=case_many_params", "payment_method=m1"));

        for (int t = 0; t < 8; t++) {
            assertEquals(10_000, m.counter("payment_requests_total", "gateway=case_threads", "user_tier=t" + t));
        }
    }

    private static Set<String> labelValues(Exposition m, String family, String gateway, String label) {
        return m.series(family, "gateway=" + gateway).stream()
                .map(series -> Exposition.labels(series).get(label))
                .collect(Collectors.toSet());
    }

    /** The text format escapes quotes, backslashes and newlines in label values, and keeps UTF-8. */
    private static void assertTextEscaping(int port) throws Exception {
        String text = new String(Exposition.get(port, "/metrics", "text/plain").body(), StandardCharsets.UTF_8);
        String escaped = ESCAPE_TIER.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        assertEquals("tier \\\"quoted\\\" \\\\ back\\nslash \u00fcn\u00efc\u00f8d\u00e9 \u65e5\u672c", escaped);
        assertTrue(text.contains("payment_requests_total{gateway=\"case_escape\",status=\"success\",user_tier=\"" + escaped + "\"} 3.0\n"),
                text);
        assertTrue(text.contains("payment_duration_seconds_count{gateway=\"case_escape\",payment_method=\"" + escaped + "\"} 3\n"),
                text);
        assertFalse(text.contains(ESCAPE_TIER), "an unescaped label value in the text format");
    }

    /** The hostile app's 200-character label: {@code prefix}, then digits. */
    private static String longLabel(char prefix) {
        StringBuilder label = new StringBuilder().append(prefix);
        for (int i = 1; i < 200; i++) {
            label.append((char) ('0' + i % 10));
        }
        return label.toString();
    }

    /** Sum of {@code value} added {@code times} times, in order, as the histogram adds it. */
    private static double repeated(double value, int times) {
        double sum = 0;
        for (int i = 0; i < times; i++) {
            sum += value;
        }
        return sum;
    }

    /** The expected numbers of each case, by gateway (also its currency and, unless said, its service). */
    private static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        for (String simple : List.of("case_static_void", "case_instance", "case_boolean", "case_byte", "case_char",
                "case_short", "case_int", "case_long", "case_float", "case_double", "case_object", "case_array",
                "case_string_array", "case_caught", "case_sync_static", "case_generic")) {
            add(cases, new Case(simple, 6, 0));
        }
        add(cases, new Case("case_checked", 3, 3).service("payment").amountSum(500.0 * (0 + 1 + 2 + 3 + 4 + 5))
                .error("IOException", "medium", 2).error("IOException", "high", 1));
        add(cases, new Case("case_unchecked", 0, 6).error("IllegalStateException", "medium", 6));
        add(cases, new Case("case_error", 0, 6).error("HostileError", "medium", 3).error("StackOverflowError", "medium", 3));
        add(cases, new Case("case_null_message", 0, 6).error("IllegalArgumentException", "medium", 6));
        add(cases, new Case("case_nested", 2, 4).error("UnsupportedOperationException", "medium", 4));
        add(cases, new Case("case_anonymous", 0, 3).error(ANONYMOUS_EXCEPTION, "medium", 3));
        add(cases, new Case("case_multi_exit", 5, 1).error("IndexOutOfBoundsException", "medium", 1));
        add(cases, new Case("case_recursion", 1 + 2 + 3 + 4 + 5 + 6, 0));
        add(cases, new Case("case_recursion_throw", 0, 6 * 3).error("IllegalStateException", "medium", 18));
        add(cases, new Case("case_sync_instance", 5, 1).error("ArithmeticException", "medium", 1));
        add(cases, new Case("case_varargs", 6, 0).amountSum(0 + 1 + 2 + 3 + 4 + 5));
        add(cases, new Case("case_many_params", 6, 0).amountSum(100.5 * (0 + 1 + 2 + 3 + 4 + 5)));
        add(cases, new Case("case_null_labels", 6, 0).amountSum(3 * 2.5));
        add(cases, new Case("case_amt_nan", 2, 2).amountCount(0).error("IllegalStateException", "medium", 2));
        add(cases, new Case("case_amt_neg", 2, 2).amountSum(-20).error("IllegalStateException", "medium", 2));
        add(cases, new Case("case_amt_posinf", 2, 2).amountCount(0).error("IllegalStateException", "high", 2));
        add(cases, new Case("case_amt_neginf", 2, 2).amountCount(0).error("IllegalStateException", "medium", 2));
        add(cases, new Case("case_amt_huge", 2, 2).amountSum(repeated(1e300, 4)).error("IllegalStateException", "high", 2));
        add(cases, new Case("case_amt_float", 2, 2).amountSum(10).error("IllegalStateException", "medium", 2));
        add(cases, new Case("case_amt_long", 2, 2).amountSum(repeated(Long.MAX_VALUE, 4))
                .error("IllegalStateException", "high", 2));
        add(cases, new Case("case_amt_int", 2, 2).amountSum(-12).error("IllegalStateException", "medium", 2));
        add(cases, new Case("case_escape", 3, 0));
        add(cases, new Case("case_truncate", 3, 0));
        add(cases, new Case("case_truncate_surrogate", 2, 0));
        add(cases, new Case("case_bridge", 6, 1).error("IllegalArgumentException", "medium", 1));
        add(cases, new Case("case_covariant", 6, 0));
        add(cases, new Case("case_default", 5, 1).error("NullPointerException", "medium", 1));
        add(cases, new Case("case_override", 2, 0));
        add(cases, new Case("case_super", 5, 1).error("IllegalStateException", "medium", 1));
        add(cases, new Case("case_threads", 80_000, 0).amountSum(80_000));
        return cases;
    }

    private static void add(Map<String, Case> cases, Case c) {
        cases.put(c.gateway, c);
    }

    /** One case's documented numbers. */
    private static final class Case {
        final String gateway;
        final long success;
        final long failed;
        String service;
        long amountCount;
        double amountSum;
        final Map<String, Long> errors = new LinkedHashMap<>(); // "type severity" -> count

        Case(String gateway, long success, long failed) {
            this.gateway = gateway;
            this.success = success;
            this.failed = failed;
            this.service = gateway;
            this.amountCount = success + failed;
        }

        Case service(String value) {
            service = value;
            return this;
        }

        Case amountCount(long value) {
            amountCount = value;
            return this;
        }

        Case amountSum(double value) {
            amountSum = value;
            return this;
        }

        Case error(String type, String severity, long count) {
            errors.put(type + " " + severity, count);
            return this;
        }

        List<Executable> checks(Exposition m) {
            double sum = m.histogramSum("payment_amount_usd", "currency=" + gateway);
            return List.of(
                    () -> Expected.assertSamples(m, gateway, paymentTables(gateway, service, success, failed, amountCount, errors)),
                    () -> assertEquals(amountSum, sum, Math.abs(amountSum) * 1e-12, gateway + " amount sum"));
        }
    }

    /**
     * The tables of one gateway's payments that every case has: its calls by status, their
     * durations and amounts, and its errors, those of {@code errors} ("type severity" to count) and
     * no other.
     */
    static String paymentTables(String gateway, String service, long success, long failed, long amounts,
                                Map<String, Long> errors) {
        Expected.Table errorTable = new Expected.Table("errors_total{service=" + service + ", error_type, severity} != 0");
        errors.forEach(errorTable::row);
        return """
                payment_requests_total{gateway=%1$s, status=success}
                %2$d

                payment_requests_total{gateway=%1$s, status=failed}
                %3$d

                payment_duration_seconds_count{gateway=%1$s}
                %4$d

                payment_amount_usd_count{currency=%1$s}
                %5$d

                """.formatted(gateway, success, failed, success + failed, amounts) + errorTable;
    }
}
