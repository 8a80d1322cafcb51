package io.metricsagent.agent.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A classic-bucket histogram family recorded into cells of the agent's own and exposed to the
 * exporter as client_java snapshots. An observation is a bucket search, one striped add to its
 * bucket and one to the sum: unlike the client's histogram, which also bumps a shared atomic
 * observation counter so that a scrape can freeze it, nothing here is shared between threads, so
 * two threads recording into the same series do not fight over a cache line. The price is that a
 * scrape racing an observation may see its bucket before its sum; the count is always the sum of
 * the buckets, as Prometheus requires.
 */
final class ClassicHistogram implements Collector {

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final double[] upperBounds;
    private final Map<List<String>, Cell> cells = new ConcurrentHashMap<>();

    ClassicHistogram(String name, String help, double[] bounds, String... labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
        upperBounds = Arrays.copyOf(bounds, bounds.length + 1);
        upperBounds[bounds.length] = Double.POSITIVE_INFINITY;
    }

    /** The series with these label values, created on first use. */
    Distribution labelValues(String... labelValues) {
        return cells.computeIfAbsent(Arrays.asList(labelValues), k -> new Cell(upperBounds));
    }

    @Override
    public String getPrometheusName() {
        return name;
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(name).help(help);
        cells.forEach((labelValues, cell) -> {
            long[] counts = new long[upperBounds.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = cell.buckets[i].sum();
            }
            snapshot.dataPoint(HistogramDataPointSnapshot.builder()
                    .labels(Labels.of(labelNames, labelValues.toArray(new String[0])))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, counts))
                    .sum(cell.sum.sum())
                    .build());
        });
        return snapshot.build();
    }

    private static final class Cell implements Distribution {
        private final double[] upperBounds;
        private final LongAdder[] buckets;
        private final DoubleAdder sum = new DoubleAdder();

        Cell(double[] upperBounds) {
            this.upperBounds = upperBounds;
            buckets = new LongAdder[upperBounds.length];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        @Override
        public void observe(double value) {
            if (Double.isNaN(value)) {
                return;
            }
            int bucket = 0;
            while (value > upperBounds[bucket]) {
                bucket++;
            }
            buckets[bucket].increment();
            sum.add(value);
        }
    }
}
