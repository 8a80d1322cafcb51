package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/**
 * A family in cells of the agent's own, a striped adder per series, turned into a client snapshot
 * only when scraped, so recording a call loads nothing of the client library.
 */
abstract class AdderFamily extends Family {

    private final String[] labelNames;
    private final Map<List<String>, Count> cells = new ConcurrentHashMap<>();

    AdderFamily(FamilySpec spec) {
        super(spec);
        labelNames = spec.labelNames().toArray(new String[0]);
    }

    @Override
    final Cell series(String... labelValues) {
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

    /** Hands each series' labels and sum over, for a snapshot. */
    final void forEachSeries(ObjLongConsumer<Labels> series) {
        cells.forEach((labelValues, count) -> series.accept(Labels.of(labelNames, labelValues.toArray(new String[0])),
                count.sum()));
    }

    /** One series: a call adds what it records (a counted call one, a call started one). */
    static final class Count extends LongAdder implements Cell {
        private static final long serialVersionUID = 1L;

        @Override
        public void record(double value) {
            add((long) value);
        }
    }
}
