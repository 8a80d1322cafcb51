package io.metricsagent.agent.weaving;

/**
 * Weaving fixture for {@code remember:} and {@code recall}: a statement is prepared from SQL, as
 * a JDBC connection prepares one, and later run without it. The statements are the caller's, so
 * that a test's calls allocate nothing of their own.
 */
public class SqlDesk implements SqlDeskCalls {

    @Override
    public Object prepare(String sql, Object statement) {
        if (sql.equals("fail")) {
            throw new IllegalStateException("refused");
        }
        return statement;
    }

    @Override
    public void run(Object statement, String sql) {
        // the statement runs: nothing to do here
    }
}
