package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Bucket;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The sample payment service under the real agent jar, on each JDK: every number on /metrics is
 * checked against what the service itself reports having done.
 */
class SampleAppIT {

    private static final int REQUESTS = 500;
    private static final int PER_SCENARIO = REQUESTS / 5;

    @OnEveryJdk
    void metricsMatchWhatTheServiceDid(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1", "interval=1")
                .jar(Artifacts.sampleJar())
                .args("--requests", String.valueOf(REQUESTS), "--threads", "4", "--speed", "0", "--seed", "42").start()) {
            int port = app.metricsPort();
            Summary summary = Summary.of(app);
            assertEquals(REQUESTS, summary.total("requests"));
            Exposition metrics = Exposition.scrape(port);

            assertRequests(metrics, summary);
            assertDurations(metrics);
            assertAmounts(metrics);
            assertErrors(metrics, summary);
            assertPool(metrics, summary);
            assertFraudChecks(metrics);
            assertHelpAndTypes(assertHost(port));
            assertContentNegotiation(port);
        }
    }

    private static void assertRequests(Exposition m, Summary s) {
        assertEquals(REQUESTS, m.counter("payment_requests_total"));
        assertEquals(s.total("succeeded"), m.counter("payment_requests_total", "status=success"));
        assertEquals(s.total("failed"), m.counter("payment_requests_total", "status=failed"));
        assertEquals(2 * PER_SCENARIO, m.counter("payment_requests_total", "user_tier=standard"));
        assertEquals(2 * PER_SCENARIO, m.counter("payment_requests_total", "user_tier=premium"));
        assertEquals(PER_SCENARIO, m.counter("payment_requests_total", "user_tier=basic"));
        assertEquals(s.failed("order_1") + s.failed("order_3"),
                m.counter("payment_requests_total", "status=failed", "user_tier=standard"));
        assertEquals(s.failed("order_2") + s.failed("order_5"),
                m.counter("payment_requests_total", "status=failed", "user_tier=premium"));
        assertEquals(s.failed("order_4"), m.counter("payment_requests_total", "status=failed", "user_tier=basic"));
        assertLabels(m, "payment_requests_total", Set.of("status", "gateway", "user_tier"));
        assertEquals(REQUESTS, m.counter("payment_requests_total", "gateway=stripe"));
    }

    private static void assertDurations(Exposition m) {
        assertEquals(REQUESTS, m.histogramCount("payment_duration_seconds", "gateway=stripe"));
        assertEquals(2 * PER_SCENARIO, m.histogramCount("payment_duration_seconds", "payment_method=credit_card"));
        assertEquals(PER_SCENARIO, m.histogramCount("payment_duration_seconds", "payment_method=paypal"));
        assertEquals(PER_SCENARIO, m.histogramCount("payment_duration_seconds", "payment_method=debit_card"));
        assertEquals(PER_SCENARIO, m.histogramCount("payment_duration_seconds", "payment_method=apple_pay"));
        assertTrue(m.histogramSum("payment_duration_seconds") > 0);
        assertEquals(REQUESTS, m.bucket("payment_duration_seconds", Double.POSITIVE_INFINITY));
        assertBounds(m, "payment_duration_seconds", 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
        assertLabels(m, "payment_duration_seconds", Set.of("gateway", "payment_method"));
    }

    private static void assertAmounts(Exposition m) {
        assertEquals(2 * PER_SCENARIO, m.histogramCount("payment_amount_usd", "currency=USD", "user_tier=standard"));
        assertEquals(2 * PER_SCENARIO, m.histogramCount("payment_amount_usd", "currency=USD", "user_tier=premium"));
        assertEquals(PER_SCENARIO, m.histogramCount("payment_amount_usd", "currency=USD", "user_tier=basic"));
        assertEquals(PER_SCENARIO * (50.0 + 1200.0), m.histogramSum("payment_amount_usd", "user_tier=standard"));
        assertEquals(PER_SCENARIO * (150.0 + 500.0), m.histogramSum("payment_amount_usd", "user_tier=premium"));
        assertEquals(PER_SCENARIO * 25.0, m.histogramSum("payment_amount_usd", "user_tier=basic"));
        assertEquals(0, m.bucket("payment_amount_usd", 10, "user_tier=basic"));
        assertEquals(PER_SCENARIO, m.bucket("payment_amount_usd", 50, "user_tier=basic"));
        assertEquals(PER_SCENARIO, m.bucket("payment_amount_usd", 50, "user_tier=standard"));
        assertEquals(PER_SCENARIO, m.bucket("payment_amount_usd", 1000, "user_tier=standard"));
        assertEquals(2 * PER_SCENARIO, m.bucket("payment_amount_usd", 5000, "user_tier=standard"));
        assertEquals(0, m.bucket("payment_amount_usd", 100, "user_tier=premium"));
        assertEquals(2 * PER_SCENARIO, m.bucket("payment_amount_usd", 500, "user_tier=premium"));
        assertBounds(m, "payment_amount_usd", 1, 10, 50, 100, 500, 1000, 5000);
        assertLabels(m, "payment_amount_usd", Set.of("currency", "user_tier"));
    }

    private static void assertErrors(Exposition m, Summary s) {
        assertEquals(s.total("failed"), m.counter("errors_total"));
        assertEquals(s.total("failed"), m.counter("errors_total", "service=payment"));
        assertEquals(s.total("gateway_timeouts"), m.counter("errors_total", "error_type=PaymentGatewayException"));
        assertEquals(s.total("validation_errors"), m.counter("errors_total", "error_type=PaymentValidationException"));
        assertEquals(s.failed("order_3"), m.counter("errors_total", "severity=high"));
        assertEquals(s.total("failed") - s.failed("order_3"), m.counter("errors_total", "severity=medium"));
        assertLabels(m, "errors_total", Set.of("service", "error_type", "severity"));
    }

    /** The sample's second method, metered with the general annotation: labels from a path and the return value. */
    private static void assertFraudChecks(Exposition m) {
        assertEquals(REQUESTS, m.counter("fraud_checks_total", "outcome=success", "exception=none", "service=payment"));
        assertEquals(PER_SCENARIO, m.counter("fraud_checks_total", "verdict=review", "user_tier=standard"));
        assertEquals(PER_SCENARIO, m.counter("fraud_checks_total", "verdict=pass", "user_tier=standard"));
        assertEquals(2 * PER_SCENARIO, m.counter("fraud_checks_total", "verdict=pass", "user_tier=premium"));
        assertEquals(PER_SCENARIO, m.counter("fraud_checks_total", "verdict=pass", "user_tier=basic"));
        assertEquals(0, m.counter("fraud_checks_total", "outcome=failure"));
        assertLabels(m, "fraud_checks_total", Set.of("outcome", "exception", "service", "user_tier", "verdict"));
        assertEquals(REQUESTS, m.histogramCount("fraud_checks_duration_seconds", "outcome=success", "service=payment"));
        assertLabels(m, "fraud_checks_duration_seconds", Set.of("outcome", "service", "user_tier", "verdict"));
        assertBounds(m, "fraud_checks_duration_seconds", 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
        assertEquals(REQUESTS, m.histogramCount("fraud_check_amount_usd"));
        assertEquals(PER_SCENARIO * (50.0 + 150.0 + 1200.0 + 25.0 + 500.0), m.histogramSum("fraud_check_amount_usd"));
        assertEquals(2 * PER_SCENARIO, m.bucket("fraud_check_amount_usd", 100));
        assertEquals(4 * PER_SCENARIO, m.bucket("fraud_check_amount_usd", 1000));
        assertBounds(m, "fraud_check_amount_usd", 100, 1000, 10000);
        assertLabels(m, "fraud_check_amount_usd", Set.of("service", "user_tier", "verdict"));
    }

    private static void assertPool(Exposition m, Summary s) {
        assertEquals(s.total("pool_active"), m.gauge("database_connections_active", "database=payment_db", "pool=main_pool"));
        assertEquals(20, m.gauge("database_connections_max", "database=payment_db", "pool=main_pool"));
        assertLabels(m, "database_connections_active", Set.of("database", "pool"));
    }

    /** Checks the host gauges once the CPU has been sampled twice; returns that scrape. */
    private static Exposition assertHost(int port) throws Exception {
        Exposition m = Exposition.scrape(port);
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        while (!m.has("cpu_usage_percent") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            m = Exposition.scrape(port);
        }
        Set<String> cores = m.family("cpu_usage_percent").getMetricList().stream()
                .map(series -> Exposition.labels(series).get("core"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(IntStream.range(0, logicalCores()).mapToObj(i -> "cpu" + i).collect(Collectors.toCollection(TreeSet::new)),
                cores);
        for (Metric series : m.family("cpu_usage_percent").getMetricList()) {
            double percent = series.getGauge().getValue();
            assertTrue(percent >= 0 && percent <= 100, "cpu_usage_percent " + percent);
        }
        assertEquals(memTotalBytes(), m.gauge("memory_usage_bytes", "type=total"));
        assertEquals(m.gauge("memory_usage_bytes", "type=total"),
                m.gauge("memory_usage_bytes", "type=used") + m.gauge("memory_usage_bytes", "type=available"));
        assertTrue(m.gauge("memory_usage_bytes", "type=used") > 0);
        return m;
    }

    private static void assertHelpAndTypes(Exposition m) {
        Map<String, String> help = new HashMap<>();
        help.put("payment_requests_total", "Total number of payment requests");
        help.put("payment_duration_seconds", "Payment processing duration");
        help.put("payment_amount_usd", "Payment amounts in USD");
        help.put("errors_total", "Total number of errors");
        help.put("database_connections_active", "Number of active database connections");
        help.put("memory_usage_bytes", "Memory usage in bytes");
        help.put("cpu_usage_percent", "CPU usage percentage");
        help.forEach((name, text) -> assertEquals(text, m.family(name).getHelp(), name));
        assertEquals(MetricType.COUNTER, m.family("payment_requests_total").getType());
        assertEquals(MetricType.COUNTER, m.family("errors_total").getType());
        assertEquals(MetricType.HISTOGRAM, m.family("payment_duration_seconds").getType());
        assertEquals(MetricType.HISTOGRAM, m.family("payment_amount_usd").getType());
        assertEquals(MetricType.GAUGE, m.family("database_connections_active").getType());
        assertEquals(MetricType.GAUGE, m.family("memory_usage_bytes").getType());
        assertEquals(MetricType.GAUGE, m.family("cpu_usage_percent").getType());
    }

    private static void assertContentNegotiation(int port) throws Exception {
        HttpResponse<byte[]> text = Exposition.get(port, "/metrics", "text/plain");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().firstValue("Content-Type").orElse(""));
        String body = new String(text.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("# TYPE payment_requests_total counter\n"), body);
        assertTrue(body.contains("payment_duration_seconds_bucket{gateway=\"stripe\",payment_method=\"paypal\",le=\"0.25\"}"),
                body);

        HttpResponse<byte[]> openMetrics = Exposition.get(port, "/metrics", "application/openmetrics-text; version=1.0.0");
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
                openMetrics.headers().firstValue("Content-Type").orElse(""));
        assertTrue(new String(openMetrics.body(), StandardCharsets.UTF_8).endsWith("# EOF\n"));

        HttpResponse<byte[]> protobuf = Exposition.get(port, "/metrics", Exposition.PROTOBUF);
        assertTrue(protobuf.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"));
    }

    private static void assertBounds(Exposition m, String name, double... bounds) {
        for (Metric series : m.family(name).getMetricList()) {
            double[] actual = series.getHistogram().getBucketList().stream().mapToDouble(Bucket::getUpperBound).toArray();
            double[] expected = new double[bounds.length + 1];
            System.arraycopy(bounds, 0, expected, 0, bounds.length);
            expected[bounds.length] = Double.POSITIVE_INFINITY;
            assertEquals(Arrays.toString(expected), Arrays.toString(actual), name);
        }
    }

    private static void assertLabels(Exposition m, String name, Set<String> names) {
        MetricFamily family = m.family(name);
        assertTrue(family.getMetricCount() > 0, name + " has no series");
        for (Metric series : family.getMetricList()) {
            assertEquals(names, Exposition.labels(series).keySet(), name);
        }
    }

    private static int logicalCores() throws Exception {
        return (int) Files.readAllLines(Paths.get("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
    }

    private static double memTotalBytes() throws Exception {
        String line = Files.readAllLines(Paths.get("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024.0;
    }

    /** What the sample printed when its requests were done. */
    static final class Summary {
        private static final Pattern SCENARIO = Pattern.compile("^scenario (\\S+) requests=(\\d+) failed=(\\d+)$");
        private final Map<String, Long> totals = new HashMap<>();
        private final Map<String, Long> failedByOrder = new HashMap<>();

        static Summary of(JvmProcess app) {
            Summary s = new Summary();
            Matcher totals = app.awaitStdout("^summary (.*)$");
            for (String pair : totals.group(1).split(" ")) {
                String[] kv = pair.split("=");
                s.totals.put(kv[0], Long.parseLong(kv[1]));
            }
            app.awaitStdout("^scenario order_5 ");
            for (String line : app.stdout()) {
                Matcher m = SCENARIO.matcher(line);
                if (m.find()) {
                    assertEquals(PER_SCENARIO, Long.parseLong(m.group(2)), line);
                    s.failedByOrder.put(m.group(1), Long.parseLong(m.group(3)));
                }
            }
            return s;
        }

        long total(String key) {
            return totals.get(key);
        }

        long failed(String order) {
            return failedByOrder.get(order);
        }
    }
}
