package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Bucket;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the OpenTelemetry Java agent (the real one, exporting its spans to its logging exporter) in
 * the same JVM, named before or after ours on the command line (and, for the sample, with ours
 * attached later), on JDK 17 and Temurin 25: the exemplars a real Prometheus
 * ({@code --enable-feature=exemplar-storage}) keeps of the agent's duration histograms carry the
 * trace and span ids of spans the application printed, for the sample's payments (inside the span
 * the OpenTelemetry agent makes of {@code Checkout.pay}) and for the Spring service's requests (the
 * server spans of its Tomcat); the protobuf exposition carries them too and the classic text
 * format none. With {@code exemplars=false} there are none.
 */
class ExemplarsIT {

    /** A span as the logging exporter prints it: name, trace id, span id, kind. */
    private static final Pattern SPAN = Pattern.compile(
            "LoggingSpanExporter - '([^']*)' : ([0-9a-f]{32}) ([0-9a-f]{16}) ([A-Z]+) ");
    private static final String[] OTEL_FLAGS = {
        "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
        "-Dotel.instrumentation.methods.include=io.metricsagent.sample.Checkout[pay]",
    };
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** How our agent comes into the JVM beside the OpenTelemetry agent. */
    private enum Order {
        OURS_FIRST, OTEL_FIRST,
        /** Attached to the JVM the OpenTelemetry agent started with. */
        OURS_ATTACHED
    }

    @OnEveryJdk
    void paymentDurationsLeadToTheirCheckoutSpans(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        for (Order order : Order.values()) {
            String leg = jdk + ", " + order;
            AgentJvm jvm = order == Order.OURS_ATTACHED
                    ? AgentJvm.on(java).flags(OTEL_FLAGS).flags("-javaagent:" + Artifacts.otelAgentJar())
                    : withOtel(java, order == Order.OTEL_FIRST, "host=127.0.0.1,port=0");
            try (JvmProcess app = jvm.jar(Artifacts.sampleJar())
                    .args("--requests", "1000000", "--threads", "2", "--speed", "0.05", "--seed", "7").start()) {
                if (order == Order.OURS_ATTACHED) {
                    app.awaitStderr("LoggingSpanExporter - .Checkout.pay.");
                    Command attach = Command.run(java, "attach", String.valueOf(app.pid()), "port=0,host=127.0.0.1");
                    assertEquals(0, attach.exit, attach::describe);
                }
                assertCheckoutSpans(app, dir.resolve(order.toString()), leg);
            }
        }
    }

    /** The sample's payment durations, as Prometheus and the expositions have their exemplars, against its spans. */
    private static void assertCheckoutSpans(JvmProcess app, Path dir, String leg) throws Exception {
        try (PrometheusServer prometheus = prometheus(dir, app.metricsPort())) {
            List<String> exemplars = awaitExemplars(prometheus, "payment_duration_seconds_bucket", app, leg);
            assertSpansPrinted(app, exemplars, "Checkout.pay", "INTERNAL", leg);
        }
        List<String> served = protobufExemplars(app.metricsPort(), "payment_duration_seconds");
        assertFalse(served.isEmpty(), leg + ": no exemplar over protobuf");
        assertSpansPrinted(app, served, "Checkout.pay", "INTERNAL", leg + ", over protobuf");
        String text = body(app.metricsPort(), "/metrics", "text/plain; version=0.0.4");
        assertTrue(text.contains("payment_duration_seconds_bucket{"), leg);
        assertFalse(text.contains("trace_id"), leg + ": the classic text format has no exemplars");
    }

    /**
     * One order per JDK, each Spring Boot leg taking some 17 s: ours first on Temurin 25, where
     * listing ours first once cost OTel its spans, OTel first on the other. The sample's legs
     * run every order on both.
     */
    @OnEveryJdk
    void requestDurationsLeadToTheirServerSpans(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        for (Order order : new Order[] {jdk.equals("temurin25") ? Order.OURS_FIRST : Order.OTEL_FIRST}) {
            String leg = jdk + ", " + order;
            AgentJvm jvm = withOtel(java, order == Order.OTEL_FIRST, "host=127.0.0.1,port=0");
            try (JvmProcess app = jvm.jar(Artifacts.serviceJar())
                    .args("--server.port=0", "--server.address=127.0.0.1").start()) {
                app.awaitStdout("^ready$");
                int port = Integer.parseInt(app.awaitStdout("Tomcat started on port (\\d+)").group(1));
                try (PrometheusServer prometheus = prometheus(dir.resolve(order.toString()), app.metricsPort())) {
                    Thread traffic = new Thread(() -> requests(port), "requests");
                    traffic.setDaemon(true);
                    traffic.start();
                    try {
                        List<String> exemplars = awaitExemplars(prometheus,
                                "http_server_request_duration_seconds_bucket{http_route=\"/orders/{id}\"}", app, leg);
                        assertSpansPrinted(app, exemplars, "GET /orders/{id}", "SERVER", leg);
                    } finally {
                        traffic.interrupt();
                        traffic.join();
                    }
                }
            }
        }
    }

    @Test
    void exemplarsOffServesNoneBesideTheOpenTelemetryAgent() throws Exception {
        try (JvmProcess app = withOtel(Jdks.current(), true, "host=127.0.0.1,port=0,exemplars=false")
                .jar(Artifacts.sampleJar())
                .args("--requests", "1000000", "--threads", "2", "--speed", "0.05", "--seed", "7").start()) {
            int port = app.metricsPort();
            // A scrape is where the OpenTelemetry agent would be found; the payments after it would then take exemplars.
            body(port, "/metrics", "application/openmetrics-text; version=1.0.0");
            int before = spans(app).size();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (spans(app).size() < before + 50) {
                assertTrue(System.nanoTime() < deadline, "the OpenTelemetry agent printed no spans: " + app.describe());
                ChildServer.pause(100);
            }
            String openMetrics = body(port, "/metrics", "application/openmetrics-text; version=1.0.0");
            assertTrue(openMetrics.contains("payment_duration_seconds_bucket{"), openMetrics);
            assertFalse(openMetrics.contains("trace_id"), openMetrics);
            assertEquals(List.of(), protobufExemplars(port, "payment_duration_seconds"));
        }
    }

    /** The application under our agent ({@code options}) and the OpenTelemetry agent, named first or second. */
    private static AgentJvm withOtel(Path java, boolean otelFirst, String options) {
        String otel = "-javaagent:" + Artifacts.otelAgentJar();
        AgentJvm jvm = AgentJvm.on(java).flags(OTEL_FLAGS).agent(options);
        return otelFirst ? jvm.flags(otel) : jvm.flagsAfterAgent(otel);
    }

    private static PrometheusServer prometheus(Path dir, int agentPort) throws Exception {
        return PrometheusServer.start(dir, PrometheusServer.exampleConfig(agentPort, 0, List.of()),
                "--enable-feature=exemplar-storage");
    }

    /** The exemplars (trace/span) Prometheus holds of {@code expr}, once it holds some. */
    private static List<String> awaitExemplars(PrometheusServer prometheus, String expr, JvmProcess app, String leg)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> exemplars = prometheus.exemplarSpans(expr, 600);
        while (exemplars.isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail(leg + ": Prometheus holds no exemplar of " + expr + " within " + TIMEOUT + "\n" + prometheus.log()
                        + "\n" + app.describe());
            }
            ChildServer.pause(500);
            exemplars = prometheus.exemplarSpans(expr, 600);
        }
        return exemplars;
    }

    /**
     * Every exemplar (trace/span) is a span the application printed, of this name and kind: a span
     * is printed when it ends, just after the call the exemplar is of, so they are waited for.
     */
    private static void assertSpansPrinted(JvmProcess app, List<String> exemplars, String name, String kind, String leg) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, String> printed = spans(app);
        while (!printed.keySet().containsAll(exemplars) && System.nanoTime() < deadline) {
            ChildServer.pause(200);
            printed = spans(app);
        }
        Set<String> missing = new TreeSet<>(exemplars);
        missing.removeAll(printed.keySet());
        assertEquals(Set.of(), missing, leg + ": exemplars of spans the application never printed");
        for (String exemplar : exemplars) {
            assertEquals(name + " " + kind, printed.get(exemplar), leg + ": the span of exemplar " + exemplar);
        }
    }

    /** The spans the application printed, trace/span to name and kind. */
    private static Map<String, String> spans(JvmProcess app) {
        Map<String, String> spans = new HashMap<>();
        List<String> lines = new ArrayList<>(app.stderr());
        lines.addAll(app.stdout());
        for (String line : lines) {
            Matcher m = SPAN.matcher(line);
            if (m.find()) {
                spans.put(m.group(2) + "/" + m.group(3), m.group(1) + " " + m.group(4));
            }
        }
        return spans;
    }

    /** The exemplars (trace/span) of {@code family}'s buckets over protobuf. */
    private static List<String> protobufExemplars(int port, String family) throws Exception {
        List<String> exemplars = new ArrayList<>();
        for (Metric series : Exposition.scrape(port).family(family).getMetricList()) {
            for (Bucket bucket : series.getHistogram().getBucketList()) {
                if (bucket.hasExemplar()) {
                    Map<String, String> labels = new HashMap<>();
                    for (LabelPair label : bucket.getExemplar().getLabelList()) {
                        labels.put(label.getName(), label.getValue());
                    }
                    exemplars.add(labels.get("trace_id") + "/" + labels.get("span_id"));
                }
            }
        }
        return exemplars;
    }

    private static String body(int port, String path, String accept) throws Exception {
        HttpResponse<byte[]> response = Exposition.get(port, path, accept);
        assertEquals(200, response.statusCode());
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** GET /orders/1 and /orders/2 until interrupted, each a server span of route /orders/{id}. */
    private static void requests(int port) {
        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/" + (1 + i % 2)))
                    .timeout(Duration.ofSeconds(5)).build();
            try {
                HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // The application is going down with the test: nothing more to send.
                return;
            }
        }
    }
}
