package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.concurrent.atomic.LongAdder;

/**
 * A gauge of calls in flight: a call started adds one to its series, and the bridge itself takes
 * it off when the call ends (it knows the series as a {@link LongAdder}, not the agent's classes),
 * often on another thread than the one that added, so the series has no owner.
 */
final class InFlightFamily extends AdderFamily<InFlightFamily.Calls> {

    InFlightFamily(FamilySpec spec) {
        super(spec);
    }

    @Override
    Calls newCell() {
        return new Calls();
    }

    @Override
    long value(Calls cell) {
        return cell.sum();
    }

    @Override
    MetricSnapshot snapshot() {
        GaugeSnapshot.Builder snapshot = GaugeSnapshot.builder().name(spec.name()).help(spec.help());
        forEachSeries((labels, calls) -> snapshot.dataPoint(
                GaugeDataPointSnapshot.builder().labels(labels).value(calls).build()));
        return snapshot.build();
    }

    /** One series: the calls of its values in flight. */
    static final class Calls extends LongAdder implements Cell {
        private static final long serialVersionUID = 1L;

        @Override
        public void record(CellWriter writer, double value, long endNanos) {
            add((long) value);
        }
    }
}
