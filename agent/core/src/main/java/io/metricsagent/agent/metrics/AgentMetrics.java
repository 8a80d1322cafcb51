package io.metricsagent.agent.metrics;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.instrument.MethodMeter;
import io.metricsagent.bootstrap.MeterBridge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's metric families and the registry that serves them. The families are created on
 * first use, by the start-up thread or earlier by the transformer when an annotated class loads
 * first; recording into them loads nothing of the client library, which only the scrape touches.
 * The registry is private to the agent, never the client library's default one, so an application
 * that uses the same library keeps its own.
 */
public final class AgentMetrics {

    private final AgentOptions agentOptions;
    private final SeriesLimit limit;
    private final MetricFamilies families;
    private final GaugeSources gauges;
    private PrometheusRegistry registry;

    public AgentMetrics(AgentOptions options) {
        agentOptions = options;
        limit = new SeriesLimit(options.maxSeries());
        families = new MetricFamilies(options.nativeHistograms());
        gauges = new GaugeSources(options.maxSeries(), options.maxLabelLength());
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
        registry.register(families);
        registry.register(gauges);
    }

    /**
     * Declares the families of a method about to be woven and makes its recorder.
     *
     * @param numberSlot the value index that carries the number as an object, or -1 when woven
     *                   code passes it as a primitive
     * @throws IllegalArgumentException naming a bad or clashing metric or label name
     */
    public MeterBridge.Recorder recorder(MethodMeter meter, int numberSlot) {
        List<Family> declared = families.declareAll(meter.families());
        return new MethodRecorder(meter, declared, numberSlot, limit, agentOptions.maxLabelLength());
    }

    /**
     * Gives up the families {@code recorder} declared, because its method is being woven again:
     * a family no recorder declares any more leaves at the next {@link MetricFamilies#dropUnused()},
     * unless a method declares it again first (its series then go on from where they were).
     */
    public void release(MeterBridge.Recorder recorder) {
        if (recorder instanceof MethodRecorder) {
            families.release(((MethodRecorder) recorder).families());
        }
    }

    /** Gives up one declaration of each of these gauges, because their class is being woven again. */
    public void releaseGauges(List<String> names) {
        families.releaseGauges(names);
    }

    /** Drops the families no woven method records into any more; returns their names. */
    public List<String> dropUnused() {
        List<String> dropped = families.dropUnused();
        for (String name : dropped) {
            limit.forget(name);
        }
        return dropped;
    }

    public MetricFamilies families() {
        return families;
    }

    public GaugeSources gauges() {
        return gauges;
    }

    /** Calls folded into overflow series so far, by metric family. */
    public Map<String, Long> foldedCalls() {
        Map<String, Long> folded = new TreeMap<>();
        limit.folded().forEach((family, count) -> folded.put(family, count.sum()));
        return folded;
    }
}
