package io.metricsagent.agent.metrics;

/** One series as a recorder sees it: a counter's (the value is ignored) or a histogram's. */
interface Cell {
    void record(double value);
}
