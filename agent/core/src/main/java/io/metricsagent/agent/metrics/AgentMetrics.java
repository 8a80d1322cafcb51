package io.metricsagent.agent.metrics;

import io.metricsagent.agent.config.AgentOptions;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's registry and metric families, created on first use: by the start-up thread, or
 * earlier by the transformer when an annotated class loads first. The registry is private to the
 * agent, never the client library's default one, so an application that uses the same library
 * keeps its own.
 */
public final class AgentMetrics {

    private static AgentOptions options = AgentOptions.defaults();
    private static PrometheusRegistry sharedRegistry;
    private static AgentMetrics instance;

    private final PrometheusRegistry registry;
    private final SeriesLimit limit;
    private final PaymentMetrics payments;
    private final GaugeMetrics gauges;

    private AgentMetrics(AgentOptions options, PrometheusRegistry registry) {
        this.registry = registry;
        limit = new SeriesLimit(options.maxSeries());
        payments = new PaymentMetrics(registry, options.nativeHistograms(), limit, options.maxLabelLength());
        gauges = new GaugeMetrics();
        registry.register(gauges);
    }

    /** Sets the options the metrics are created with; call before the first {@link #get()}. */
    public static synchronized void configure(AgentOptions agentOptions) {
        options = agentOptions;
    }

    public static synchronized AgentMetrics get() {
        if (instance == null) {
            instance = new AgentMetrics(options, registry());
        }
        return instance;
    }

    /**
     * The registry alone, before any metric family exists: the exporter can serve it while the
     * families are still being built, which brings the first answered scrape forward.
     */
    public static synchronized PrometheusRegistry registry() {
        if (sharedRegistry == null) {
            sharedRegistry = new PrometheusRegistry();
        }
        return sharedRegistry;
    }

    public PaymentMetrics payments() {
        return payments;
    }

    public GaugeMetrics gauges() {
        return gauges;
    }

    /** Calls folded into overflow series so far, by metric family. */
    public Map<String, Long> foldedCalls() {
        Map<String, Long> folded = new TreeMap<>();
        limit.folded().forEach((family, count) -> folded.put(family, count.sum()));
        return folded;
    }
}
