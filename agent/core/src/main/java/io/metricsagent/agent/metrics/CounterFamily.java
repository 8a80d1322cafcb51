package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.concurrent.atomic.LongAdder;

/** A counter family: each recorded call adds one to its series. */
final class CounterFamily extends AdderFamily<CounterFamily.Count> {

    CounterFamily(FamilySpec spec) {
        super(spec);
    }

    @Override
    Count newCell() {
        return new Count();
    }

    @Override
    long value(Count cell) {
        return cell.owned.get(0) + cell.others.sum();
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

    /** One series: its owners' counts, and a striped adder for the calls of other threads. */
    static final class Count implements Cell {
        private final OwnedStripes owned = new OwnedStripes(1);
        private final LongAdder others = new LongAdder();

        @Override
        public void record(CellWriter writer, double value, long endNanos) {
            OwnedStripes.Stripe stripe = owned.of(writer);
            if (stripe != null) {
                stripe.increment(0);
            } else {
                others.increment();
            }
        }
    }
}
