package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassicHistogramTest {

    private static String text(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bucketsAreUpperInclusiveAndNaNIsNotObserved() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        ClassicHistogram histogram = new ClassicHistogram(spec("h_seconds", "A histogram", 1, 10), TraceExemplars.NONE);
        registry.register(histogram::snapshot);
        Cell series = histogram.series("v");
        for (double value : new double[] {-3, 1, 1.5, 10, 11, Double.POSITIVE_INFINITY, Double.NaN}) {
            series.record(CellWriter.current(), value, 0);
        }
        assertEquals(""
                + "# HELP h_seconds A histogram\n"
                + "# TYPE h_seconds histogram\n"
                + "h_seconds_bucket{k=\"v\",le=\"1.0\"} 2\n"
                + "h_seconds_bucket{k=\"v\",le=\"10.0\"} 4\n"
                + "h_seconds_bucket{k=\"v\",le=\"+Inf\"} 6\n"
                + "h_seconds_count{k=\"v\"} 6\n"
                + "h_seconds_sum{k=\"v\"} +Inf\n", text(registry));
    }

    @Test
    void concurrentObservationsOfTheOwnerAndOtherThreadsAreAllCounted() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        ClassicHistogram histogram = new ClassicHistogram(spec("c", "Concurrent", 0.5), TraceExemplars.NONE);
        registry.register(histogram::snapshot);
        Cell series = histogram.series("v"); // owned by this thread, which records beside eight others
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> observe(series));
            threads.add(thread);
            thread.start();
        }
        observe(series);
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(""
                + "# HELP c Concurrent\n"
                + "# TYPE c histogram\n"
                + "c_bucket{k=\"v\",le=\"0.5\"} 450000\n"
                + "c_bucket{k=\"v\",le=\"+Inf\"} 900000\n"
                + "c_count{k=\"v\"} 900000\n"
                + "c_sum{k=\"v\"} 450000.0\n", text(registry));
    }

    private static void observe(Cell series) {
        CellWriter writer = CellWriter.current();
        for (int i = 0; i < 100_000; i++) {
            series.record(writer, i % 2, 0);
        }
    }

    static FamilySpec spec(String name, String help, double... buckets) {
        return FamilySpec.histogram(name, help, buckets, FamilySpec.Observed.NUMBER)
                .label("k", LabelSource.constant("v"))
                .build();
    }
}
