package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** A counter family: each recorded call adds one to its series. */
final class CounterFamily extends AdderFamily {

    CounterFamily(FamilySpec spec) {
        super(spec);
    }

    @Override
    MetricSnapshot snapshot() {
        String name = spec.name();
        CounterSnapshot.Builder snapshot = CounterSnapshot.builder()
                .name(name.substring(0, name.length() - "_total".length()))
                .help(spec.help());
        forEachSeries((labels, count) -> snapshot.dataPoint(
                CounterDataPointSnapshot.builder().labels(labels).value(count).build()));
        return snapshot.build();
    }
}
