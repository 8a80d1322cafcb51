package io.metricsagent.agent.metrics;

/** One histogram series as a recorder sees it: the agent's own cells, or a client histogram's child. */
interface Distribution {
    void observe(double value);
}
