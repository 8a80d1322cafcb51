package io.metricsagent.agent.weaving;

/** How a test calls the woven {@link SqlDesk} without reflection, which would allocate per call. */
public interface SqlDeskCalls {
    Object prepare(String sql, Object statement);

    void run(Object statement, String sql);
}
