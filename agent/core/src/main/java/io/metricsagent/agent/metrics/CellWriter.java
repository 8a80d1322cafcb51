package io.metricsagent.agent.metrics;

/**
 * The thread recording a call, as cells know it: a token of the agent's own, one per thread, so
 * that a cell can tell its owner from other threads by identity without holding the application's
 * {@code Thread} (nor trusting an overridable {@code Thread.getId()}). A call fetches it once and
 * hands it to each of its cells.
 */
final class CellWriter {

    private static final ThreadLocal<CellWriter> CURRENT = new Current();

    private CellWriter() {}

    static CellWriter current() {
        return CURRENT.get();
    }

    /** Not a lambda: the first call of a metered method may come before java.lang.invoke is up. */
    private static final class Current extends ThreadLocal<CellWriter> {
        @Override
        protected CellWriter initialValue() {
            return new CellWriter();
        }
    }
}
