package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * A histogram family kept by the client's histogram, for {@code native_histograms=true}: native
 * (sparse) buckets beside the classic ones, which reach Prometheus over protobuf. It costs more
 * per observation than {@link ClassicHistogram}, so it is only used when asked for.
 */
final class NativeHistogram extends Family {

    private final Histogram histogram;

    NativeHistogram(FamilySpec spec) {
        super(spec);
        histogram = Histogram.builder()
                .withoutExemplars()
                .name(spec.name())
                .help(spec.help())
                .labelNames(spec.labelNames().toArray(new String[0]))
                .classicUpperBounds(spec.buckets())
                .build();
    }

    @Override
    Cell series(String... labelValues) {
        return new Observer(histogram.labelValues(labelValues));
    }

    @Override
    MetricSnapshot snapshot() {
        return histogram.collect();
    }

    private static final class Observer implements Cell {
        private final DistributionDataPoint dataPoint;

        Observer(DistributionDataPoint dataPoint) {
            this.dataPoint = dataPoint;
        }

        @Override
        public void record(CellWriter writer, double value, long endNanos) {
            dataPoint.observe(value);
        }
    }
}
