package io.metricsagent.agent.metrics;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.description.MethodMeter;
import io.metricsagent.bootstrap.MeterBridge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One agent's metric families, gauges and series limit, the counts of what failed in them, and
 * the registry that serves them. Built with the agent, at premain; the families are created on
 * first use, by the start-up thread or earlier by the transformer when an annotated class loads
 * first, so that premain loads none of their classes; recording into them loads nothing of the
 * client library, which only the scrape touches (but for its exemplar classes, once a scrape has
 * found the OpenTelemetry agent: see {@link TraceExemplars}).
 * The registry is private to the agent, never the client library's default one, so an application
 * that uses the same library keeps its own.
 */
public final class AgentMetrics {

    private final AgentOptions agentOptions;
    private Parts parts;
    private PrometheusRegistry registry;

    public AgentMetrics(AgentOptions options) {
        agentOptions = options;
    }

    /** What holds the series; made on first use. */
    private static final class Parts {
        final SeriesLimit limit;
        final MetricFamilies families;
        final GaugeSources gauges;

        Parts(AgentOptions options) {
            limit = new SeriesLimit(options.maxSeries());
            families = new MetricFamilies(options.nativeHistograms(), new TraceExemplars(options.exemplars()));
            gauges = new GaugeSources(options.maxSeries(), options.maxLabelLength());
        }
    }

    private synchronized Parts parts() {
        if (parts == null) {
            parts = new Parts(agentOptions);
        }
        return parts;
    }

    /**
     * Metrics of their own that nothing serves: what the weaver's warm-up declares and records
     * into, so that it leaves no trace in the agent's, its failure counters included.
     */
    public static AgentMetrics scratch() {
        return new AgentMetrics(AgentOptions.defaults());
    }

    /**
     * The registry alone, before any metric family is on it: the exporter can serve it while the
     * families are still being built, which brings the first answered scrape forward.
     */
    public synchronized PrometheusRegistry registry() {
        if (registry == null) {
            registry = new PrometheusRegistry();
        }
        return registry;
    }

    /** Puts the families and gauges on the registry; called once, off the application's threads. */
    public void register(PrometheusRegistry registry) {
        Parts made = parts();
        registry.register(made.families);
        registry.register(made.gauges);
    }

    /**
     * Declares the families of a method about to be woven and makes its recorder; a
     * {@code remember:} rule's declares none.
     *
     * @param numberSlot the value index that carries the number as an object, or -1 when woven
     *                   code passes it as a primitive
     * @throws IllegalArgumentException naming a bad or clashing metric or label name
     */
    public MeterBridge.Recorder recorder(MethodMeter meter, int numberSlot) {
        if (meter.remember() != null) {
            return new RememberingRecorder(meter.remember());
        }
        Parts made = parts();
        List<Family> declared = made.families.declareAll(meter.families());
        return new MethodRecorder(meter, declared, numberSlot, made.limit, agentOptions.maxLabelLength());
    }

    /**
     * Gives up the families {@code recorder} declared, because its method is being woven again:
     * a family no recorder declares any more leaves at the next {@link MetricFamilies#dropUnused()},
     * unless a method declares it again first (its series then go on from where they were).
     */
    public void release(MeterBridge.Recorder recorder) {
        if (recorder instanceof MethodRecorder) {
            parts().families.release(((MethodRecorder) recorder).families());
        }
    }

    /** Gives up one declaration of each of these gauges, because their class is being woven again. */
    public void releaseGauges(List<String> names) {
        parts().families.releaseGauges(names);
    }

    /** Drops the families no woven method records into any more; returns their names. */
    public List<String> dropUnused() {
        Parts made = parts();
        List<String> dropped = made.families.dropUnused();
        for (String name : dropped) {
            made.limit.forget(name);
        }
        return dropped;
    }

    public MetricFamilies families() {
        return parts().families;
    }

    public GaugeSources gauges() {
        return parts().gauges;
    }

    /** Calls folded into overflow series so far, by metric family. */
    public Map<String, Long> foldedCalls() {
        Map<String, Long> folded = new TreeMap<>();
        parts().limit.folded().forEach((family, count) -> folded.put(family, count.sum()));
        return folded;
    }
}
