package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TraceExemplarsTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    /** A span source as the OpenTelemetry agent would be, its current span set by the test. */
    private static final class Spans implements SpanContext {
        String traceId = TRACE;
        String spanId = SPAN;
        boolean sampled = true;
        final List<String> marked = new ArrayList<>();

        @Override
        public String getCurrentTraceId() {
            return traceId;
        }

        @Override
        public String getCurrentSpanId() {
            return spanId;
        }

        @Override
        public boolean isCurrentSpanSampled() {
            return sampled;
        }

        @Override
        public void markCurrentSpanAsExemplar() {
            marked.add(spanId);
        }
    }

    private final Spans spans = new Spans();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private Cell series(TraceExemplars traces) {
        ClassicHistogram histogram = new ClassicHistogram(ClassicHistogramTest.spec("h_seconds", "A histogram", 0.1, 1),
                traces);
        registry.register(histogram::snapshot);
        return histogram.series("v");
    }

    @Test
    void aSampledCallsSpanIsItsBucketsExemplarInOpenMetricsOnly() throws IOException {
        Cell series = series(new TraceExemplars(spans));
        series.record(CellWriter.current(), 0.25, System.nanoTime());
        long taken = exemplar(0).getTimestampMillis();

        assertEquals(""
                + "# TYPE h_seconds histogram\n"
                + "# HELP h_seconds A histogram\n"
                + "h_seconds_bucket{k=\"v\",le=\"0.1\"} 0\n"
                + "h_seconds_bucket{k=\"v\",le=\"1.0\"} 1 # {span_id=\"" + SPAN + "\",trace_id=\"" + TRACE + "\"} 0.25 "
                + String.format("%d.%03d", taken / 1000, taken % 1000) + "\n"
                + "h_seconds_bucket{k=\"v\",le=\"+Inf\"} 1\n"
                + "h_seconds_count{k=\"v\"} 1\n"
                + "h_seconds_sum{k=\"v\"} 0.25\n"
                + "# EOF\n", openMetrics());
        assertEquals(""
                + "# HELP h_seconds A histogram\n"
                + "# TYPE h_seconds histogram\n"
                + "h_seconds_bucket{k=\"v\",le=\"0.1\"} 0\n"
                + "h_seconds_bucket{k=\"v\",le=\"1.0\"} 1\n"
                + "h_seconds_bucket{k=\"v\",le=\"+Inf\"} 1\n"
                + "h_seconds_count{k=\"v\"} 1\n"
                + "h_seconds_sum{k=\"v\"} 0.25\n", text());
        assertEquals(List.of(SPAN), spans.marked, "the span is marked as an exemplar's");
    }

    @Test
    void aSeriesSamplesOnceAnIntervalAndABucketKeepsItsExemplarForAWhile() {
        Cell series = series(new TraceExemplars(spans));
        CellWriter writer = CellWriter.current();
        long start = System.nanoTime();
        series.record(writer, 0.05, start);
        spans.spanId = "1111111111111111";
        // Another bucket, within the series' interval: not sampled.
        series.record(writer, 0.5, start + millis(TraceExemplars.SAMPLE_INTERVAL_MILLIS) - 1);
        assertEquals(List.of(SPAN), spanIds());

        long later = start + millis(TraceExemplars.SAMPLE_INTERVAL_MILLIS);
        // The first bucket's exemplar is younger than a bucket keeps it: not replaced.
        series.record(writer, 0.06, later);
        series.record(writer, 0.5, later);
        assertEquals(List.of(SPAN, "1111111111111111"), spanIds());
        assertEquals(0.5, exemplar(1).getValue());

        spans.spanId = "2222222222222222";
        series.record(writer, 0.07, start + millis(TraceExemplars.KEEP_SECONDS * 1000));
        assertEquals(List.of("2222222222222222", "1111111111111111"), spanIds());
        assertEquals(List.of(SPAN, "1111111111111111", "2222222222222222"), spans.marked,
                "only the spans taken are marked");
    }

    @Test
    void anExemplarOlderThanServedIsLeftOut() {
        Cell series = series(new TraceExemplars(spans));
        series.record(CellWriter.current(), 0.05, System.nanoTime() - millis(TraceExemplars.SERVE_SECONDS * 1000));
        assertEquals(List.of(), spanIds());
        series.record(CellWriter.current(), 0.5, System.nanoTime());
        assertEquals(List.of(SPAN), spanIds());
    }

    @Test
    void aSpanNotSampledIsNoExemplarAndTheNextSampledOneIs() {
        Cell series = series(new TraceExemplars(spans));
        long start = System.nanoTime();
        spans.sampled = false;
        series.record(CellWriter.current(), 0.5, start);
        assertEquals(List.of(), spanIds());

        spans.sampled = true;
        series.record(CellWriter.current(), 0.5, start + millis(TraceExemplars.SAMPLE_INTERVAL_MILLIS));
        assertEquals(List.of(SPAN), spanIds());
        assertEquals(List.of(SPAN), spans.marked);
    }

    @Test
    void onlyDurationsTakeExemplars() {
        MetricFamilies families = new MetricFamilies(false, new TraceExemplars(spans));
        List<Family> declared = families.declareAll(List.of(
                FamilySpec.histogram("d_seconds", "A duration", new double[] {1}, FamilySpec.Observed.DURATION_SECONDS).build(),
                FamilySpec.histogram("n", "A number", new double[] {1}, FamilySpec.Observed.NUMBER).build()));
        for (Family family : declared) {
            family.series().record(CellWriter.current(), 0.5, System.nanoTime());
        }
        Map<String, Integer> exemplars = new TreeMap<>();
        for (MetricSnapshot snapshot : families.collect()) {
            exemplars.put(snapshot.getMetadata().getName(),
                    ((HistogramSnapshot) snapshot).getDataPoints().get(0).getExemplars().size());
        }
        assertEquals(Map.of("d_seconds", 1, "n", 0), exemplars);
    }

    @Test
    void withoutTheOpenTelemetryAgentOrWithExemplarsOffNoneIsLookedForOrTaken() throws IOException {
        TraceExemplars none = new TraceExemplars(true);
        none.lookForTracer(); // this JVM runs no OpenTelemetry agent
        assertNull(none.spans());
        Cell series = series(none);
        series.record(CellWriter.current(), 0.5, System.nanoTime());
        assertEquals(List.of(), spanIds());

        TraceExemplars off = new TraceExemplars(false);
        off.lookForTracer();
        assertNull(off.spans());
    }

    private static long millis(long millis) {
        return millis * 1_000_000;
    }

    private List<String> spanIds() {
        List<String> ids = new ArrayList<>();
        for (Exemplar exemplar : dataPoint().getExemplars()) {
            ids.add(exemplar.getLabels().get(Exemplar.SPAN_ID));
        }
        return ids;
    }

    private Exemplar exemplar(int index) {
        return dataPoint().getExemplars().get(index);
    }

    private HistogramSnapshot.HistogramDataPointSnapshot dataPoint() {
        HistogramSnapshot snapshot = (HistogramSnapshot) registry.scrape().get(0);
        return snapshot.getDataPoints().get(0);
    }

    private String openMetrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String text() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
