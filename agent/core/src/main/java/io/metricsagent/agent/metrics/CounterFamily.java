package io.metricsagent.agent.metrics;

import io.metricsagent.agent.instrument.FamilySpec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter family in cells of the agent's own: a striped adder per series, turned into a client
 * snapshot only when scraped, so recording a call loads nothing of the client library.
 */
final class CounterFamily extends Family {

    private final String[] labelNames;
    private final Map<List<String>, Count> cells = new ConcurrentHashMap<>();

    CounterFamily(FamilySpec spec) {
        super(spec);
        labelNames = spec.labelNames().toArray(new String[0]);
    }

    @Override
    Cell series(String... labelValues) {
        // No lambda: this runs on the first call of a method, on the application's thread, where
        // the first lambda of the JVM would bootstrap java.lang.invoke.
        List<String> key = Arrays.asList(labelValues);
        Count count = cells.get(key);
        if (count == null) {
            Count created = new Count();
            count = cells.putIfAbsent(key, created);
            return count != null ? count : created;
        }
        return count;
    }

    @Override
    MetricSnapshot snapshot() {
        String name = spec.name();
        CounterSnapshot.Builder snapshot = CounterSnapshot.builder()
                .name(name.substring(0, name.length() - "_total".length()))
                .help(spec.help());
        cells.forEach((labelValues, count) -> snapshot.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of(labelNames, labelValues.toArray(new String[0])))
                .value(count.sum())
                .build()));
        return snapshot.build();
    }

    private static final class Count extends LongAdder implements Cell {
        private static final long serialVersionUID = 1L;

        @Override
        public void record(double ignored) {
            increment();
        }
    }
}
