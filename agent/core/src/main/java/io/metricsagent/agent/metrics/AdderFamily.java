package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;

/**
 * A family of one number per series in cells of the agent's own, turned into a client snapshot
 * only when scraped, so recording a call loads nothing of the client library.
 */
abstract class AdderFamily<C extends Cell> extends Family {

    private final String[] labelNames;
    private final Map<List<String>, C> cells = new ConcurrentHashMap<>();

    AdderFamily(FamilySpec spec) {
        super(spec);
        labelNames = spec.labelNames().toArray(new String[0]);
    }

    @Override
    final Cell series(String... labelValues) {
        // No lambda: this runs on the first call of a method, on the application's thread, where
        // the first lambda of the JVM would bootstrap java.lang.invoke.
        List<String> key = Arrays.asList(labelValues);
        C cell = cells.get(key);
        if (cell == null) {
            C created = newCell();
            cell = cells.putIfAbsent(key, created);
            return cell != null ? cell : created;
        }
        return cell;
    }

    abstract C newCell();

    abstract long value(C cell);

    /** Hands each series' labels and value over, for a snapshot. */
    final void forEachSeries(ObjLongConsumer<Labels> series) {
        cells.forEach((labelValues, cell) -> series.accept(Labels.of(labelNames, labelValues.toArray(new String[0])),
                value(cell)));
    }
}
