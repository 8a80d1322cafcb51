package io.metricsagent.bench;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What a benchmark's setup asks of its fork before it measures: the agents its variant names, by
 * the benchmark method's name ({@code agent…} the metrics agent alone, {@code otel…} the
 * OpenTelemetry agent alone, any other neither), and that the agent present is at work.
 */
public final class Forks {

    private static final String METRICS_BRIDGE = "io.metricsagent.bootstrap.MeterBridge";
    private static final String OTEL_BOOTSTRAP = "io.opentelemetry.javaagent.bootstrap.AgentInitializer";

    private Forks() {}

    /** The benchmark method's name. */
    static String variant(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    static boolean wantsMetricsAgent(String variant) {
        return variant.startsWith("agent");
    }

    static boolean wantsOtelAgent(String variant) {
        return variant.startsWith("otel") || variant.contains("WithOtel");
    }

    /** Fails a fork that should have an agent and has none, or the other way round. */
    static void requireAgents(String variant) {
        boolean metricsAgent = bootstrapClass(METRICS_BRIDGE) != null;
        boolean otelAgent = bootstrapClass(OTEL_BOOTSTRAP) != null;
        if (metricsAgent != wantsMetricsAgent(variant) || otelAgent != wantsOtelAgent(variant)) {
            throw new IllegalStateException(variant + ": metrics agent " + (metricsAgent ? "present" : "absent")
                    + ", OpenTelemetry agent " + (otelAgent ? "present" : "absent")
                    + "; run from the repository root after `mvn -B -ntp -DskipTests package`");
        }
    }

    /** How many methods the metrics agent has woven a recorder into so far; its fork only. */
    static int woven() throws ReflectiveOperationException {
        return (Integer) bootstrapClass(METRICS_BRIDGE).getMethod("registered").invoke(null);
    }

    /**
     * Fails a metrics agent's fork in which nothing was woven once {@code what} has run: the
     * preset that should have chosen its classes is not in the agent jar, or did not choose them.
     */
    static void requireWoven(String variant, String what, String preset) throws ReflectiveOperationException {
        if (wantsMetricsAgent(variant) && woven() < 1) {
            throw new IllegalStateException(variant + ": the metrics agent wove nothing in " + what
                    + ": agent/target/metrics-agent.jar has no `" + preset + "` preset, or it chose none of these"
                    + " classes (to try a preset file before it ships, run JMH with -jvmArgsAppend \""
                    + PaymentBenchmark.XMS + " " + PaymentBenchmark.XMX + " " + PaymentBenchmark.METRICS_AGENT
                    + ",config=FILE\")");
        }
    }

    /** Whether a span is current: true inside what the OpenTelemetry agent instruments, in its fork. */
    public static boolean inSpan() {
        return Span.current().getSpanContext().isValid();
    }

    /**
     * Fails an OpenTelemetry agent's fork whose instrumentation opened no span around {@code what}
     * (told by {@code traced}, read with {@link #inSpan} inside it), and any other fork that saw one.
     */
    static void requireTraced(String variant, boolean traced, String what) {
        if (traced != wantsOtelAgent(variant)) {
            throw new IllegalStateException(variant + ": " + (traced ? "a" : "no") + " span was current inside "
                    + what + (traced ? "" : ": the OpenTelemetry agent's instrumentation of it is off"));
        }
    }

    /**
     * Fails a fork in which the metrics agent takes exemplars from the OpenTelemetry agent's spans
     * or not, against {@code expected}: scrapes its endpoint on 127.0.0.1:{@code port} until it
     * answers (it starts after premain; a scrape is where it finds the OpenTelemetry agent), makes
     * {@code call} once inside a span, and looks for that span's trace id in the OpenMetrics
     * exposition.
     */
    static void requireExemplars(int port, Runnable call, boolean expected) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the metrics agent's endpoint on port " + port + " never answered", e);
                }
            }
            Thread.sleep(100);
        }
        Span span = GlobalOpenTelemetry.getTracer("bench").spanBuilder("exemplar probe").startSpan();
        try (Scope scope = span.makeCurrent()) {
            call.run();
        } finally {
            span.end();
        }
        String traceId = span.getSpanContext().getTraceId();
        if (http.send(request, HttpResponse.BodyHandlers.ofString()).body().contains(traceId) != expected) {
            throw new IllegalStateException("the metrics agent took " + (expected ? "no" : "an") + " exemplar of trace "
                    + traceId);
        }
    }

    private static Class<?> bootstrapClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
