package io.metricsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConstantLabelsTest {

    private static final Map<String, String> LABELS = new LinkedHashMap<>(Map.of("region", "eu", "env", "prod"));

    @Test
    void everySeriesOfEveryTypeGetsTheLabelsWithItsValuesUnchanged() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("calls_total").labelNames("status").register(registry).labelValues("ok").inc(3);
        Gauge.builder().name("pool_size").register(registry).set(7);
        Histogram.builder().name("latency_seconds").classicUpperBounds(0.1, 1).classicOnly().register(registry).observe(0.5);
        Summary.builder().name("sizes_bytes").register(registry).observe(10);
        Info.builder().name("build_info").labelNames("version").register(registry).addLabelValues("1.0");
        StateSet.builder().name("feature").states("on", "off").register(registry).setTrue("on");
        registry.register(() -> UnknownSnapshot.builder().name("legacy").dataPoint(
                UnknownSnapshot.UnknownDataPointSnapshot.builder().value(4).build()).build());

        String text = text(new ConstantLabels(registry, LABELS).collect());

        assertEquals(""
                + "# TYPE build_info gauge\n"
                + "build_info{env=\"prod\",region=\"eu\",version=\"1.0\"} 1\n"
                + "# TYPE calls_total counter\n"
                + "calls_total{env=\"prod\",region=\"eu\",status=\"ok\"} 3.0\n"
                + "# TYPE feature gauge\n"
                + "feature{env=\"prod\",region=\"eu\",feature=\"off\"} 0\n"
                + "feature{env=\"prod\",region=\"eu\",feature=\"on\"} 1\n"
                + "# TYPE latency_seconds histogram\n"
                + "latency_seconds_bucket{env=\"prod\",region=\"eu\",le=\"0.1\"} 0\n"
                + "latency_seconds_bucket{env=\"prod\",region=\"eu\",le=\"1.0\"} 1\n"
                + "latency_seconds_bucket{env=\"prod\",region=\"eu\",le=\"+Inf\"} 1\n"
                + "latency_seconds_count{env=\"prod\",region=\"eu\"} 1\n"
                + "latency_seconds_sum{env=\"prod\",region=\"eu\"} 0.5\n"
                + "# TYPE legacy untyped\n"
                + "legacy{env=\"prod\",region=\"eu\"} 4.0\n"
                + "# TYPE pool_size gauge\n"
                + "pool_size{env=\"prod\",region=\"eu\"} 7.0\n"
                + "# TYPE sizes_bytes summary\n"
                + "sizes_bytes_count{env=\"prod\",region=\"eu\"} 1\n"
                + "sizes_bytes_sum{env=\"prod\",region=\"eu\"} 10.0\n",
                text.replaceAll("(?m)^# HELP .*\n", ""));
    }

    @Test
    void nativeHistogramsKeepTheirBucketsAndTimestamps() {
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram histogram = Histogram.builder().name("amount_usd").labelNames("tier").register(registry);
        for (double amount : new double[] {0, 1.5, 20, 20, 3000}) {
            histogram.labelValues("gold").observe(amount);
        }
        HistogramDataPointSnapshot before = ((HistogramSnapshot) registry.scrape().get(0)).getDataPoints().get(0);
        MetricSnapshots relabelled = new ConstantLabels(registry, LABELS).collect();
        HistogramDataPointSnapshot after = ((HistogramSnapshot) relabelled.get(0)).getDataPoints().get(0);

        assertEquals(Labels.of("env", "prod", "region", "eu", "tier", "gold"), after.getLabels());
        assertEquals(5, after.getCount());
        assertEquals(before.getSum(), after.getSum());
        assertEquals(before.getCreatedTimestampMillis(), after.getCreatedTimestampMillis());
        assertEquals(before.getClassicBuckets().stream().map(b -> b.getCount()).collect(Collectors.toList()),
                after.getClassicBuckets().stream().map(b -> b.getCount()).collect(Collectors.toList()));
        assertEquals(before.getNativeSchema(), after.getNativeSchema());
        assertEquals(before.getNativeZeroCount(), after.getNativeZeroCount());
        assertEquals(before.getNativeZeroThreshold(), after.getNativeZeroThreshold());
        assertEquals(before.getNativeBucketsForPositiveValues().stream().map(b -> b.getBucketIndex() + ":" + b.getCount()).collect(Collectors.toList()),
                after.getNativeBucketsForPositiveValues().stream().map(b -> b.getBucketIndex() + ":" + b.getCount()).collect(Collectors.toList()));
    }

    @Test
    void aSeriesThatHasTheLabelItselfKeepsItsOwnValue() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge.builder().name("deployments").labelNames("env").register(registry).labelValues("staging").set(2);

        assertEquals("deployments{env=\"staging\",region=\"eu\"} 2.0\n",
                text(new ConstantLabels(registry, LABELS).collect()).replaceAll("(?m)^#.*\n", ""));
    }

    @Test
    void aFamilyTheLabelsWouldMakeAmbiguousIsServedAsItIs() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> UnknownSnapshot.builder().name("mixed")
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(1).build())
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().labels(Labels.of("env", "prod")).value(2).build())
                .build());

        List<String> lines = new ArrayList<>(List.of(text(new ConstantLabels(registry, Map.of("env", "prod")).collect())
                .replaceAll("(?m)^#.*\n", "").split("\n")));
        assertEquals(List.of("mixed 1.0", "mixed{env=\"prod\"} 2.0"), lines);
    }

    @Test
    void aScrapeOfSomeNamesIsLabelledToo() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge.builder().name("a").register(registry).set(1);
        Gauge.builder().name("b").register(registry).set(2);
        PrometheusRegistry served = new PrometheusRegistry();
        served.register(new ConstantLabels(registry, Map.of("env", "prod")));

        MetricSnapshots some = served.scrape(name -> name.equals("b"));
        assertEquals(List.of("b"), some.stream().map(MetricSnapshot::getMetadata).map(m -> m.getName()).collect(Collectors.toList()));
        assertEquals("b{env=\"prod\"} 2.0\n", text(some).replaceAll("(?m)^#.*\n", ""));
    }

    private static String text(MetricSnapshots snapshots) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }
}
