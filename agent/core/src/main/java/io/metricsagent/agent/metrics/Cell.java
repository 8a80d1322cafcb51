package io.metricsagent.agent.metrics;

/** One series as a recorder sees it: a counter's (the value is ignored) or a histogram's. */
interface Cell {
    /**
     * @param writer   the recording thread's, {@link CellWriter#current()}, fetched once per call
     * @param endNanos the {@code System.nanoTime()} the call ended at, which a histogram's exemplars go by
     */
    void record(CellWriter writer, double value, long endNanos);
}
