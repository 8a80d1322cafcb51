package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterFamilyTest {

    @Test
    void callsOfMoreThreadsThanTheSeriesHasStripesAreAllCounted() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        CounterFamily counter = new CounterFamily(FamilySpec.counter("calls_total", "Calls")
                .label("k", LabelSource.constant("v"))
                .build());
        registry.register(counter::snapshot);
        Cell series = counter.series("v");
        int threads = 2 * OwnedStripes.OWNERS + 1;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                CellWriter writer = CellWriter.current();
                for (int i = 0; i < 100_000; i++) {
                    series.record(writer, 1, 0);
                }
            });
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            thread.join();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        assertEquals(""
                + "# HELP calls_total Calls\n"
                + "# TYPE calls_total counter\n"
                + "calls_total{k=\"v\"} " + threads * 100_000 + ".0\n", out.toString(StandardCharsets.UTF_8));
    }
}
