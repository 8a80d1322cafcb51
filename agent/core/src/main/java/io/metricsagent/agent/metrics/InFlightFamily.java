package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * A gauge of calls in flight: a call started adds one to its series, and the bridge itself takes
 * it off when the call ends (it knows the series as a {@link java.util.concurrent.atomic.LongAdder},
 * not the agent's classes).
 */
final class InFlightFamily extends AdderFamily {

    InFlightFamily(FamilySpec spec) {
        super(spec);
    }

    @Override
    MetricSnapshot snapshot() {
        GaugeSnapshot.Builder snapshot = GaugeSnapshot.builder().name(spec.name()).help(spec.help());
        forEachSeries((labels, calls) -> snapshot.dataPoint(
                GaugeDataPointSnapshot.builder().labels(labels).value(calls).build()));
        return snapshot.build();
    }
}
