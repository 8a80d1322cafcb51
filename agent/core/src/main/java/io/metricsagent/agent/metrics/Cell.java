package io.metricsagent.agent.metrics;

/** One series as a recorder sees it: a counter's (the value is ignored) or a histogram's. */
interface Cell {
    /** @param writer the recording thread's, {@link CellWriter#current()}, fetched once per call */
    void record(CellWriter writer, double value);
}
