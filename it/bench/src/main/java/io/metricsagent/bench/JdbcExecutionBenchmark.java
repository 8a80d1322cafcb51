package io.metricsagent.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One {@code PreparedStatement.executeQuery()} by primary key, its row read and its result set
 * closed, through HikariCP's proxy statement over H2 in memory. Each thread holds a connection of
 * the pool and a statement prepared on it for the whole trial, and asks for the orders 0..99 in
 * turn.
 *
 * <p>{@code baseline} runs with no agent; {@code agent} under the metrics agent with its shipped
 * presets (jdbc times the execution once, at the pool's proxy) and no config file; {@code otel}
 * under the OpenTelemetry Java agent, its JDBC instrumentation opening a client span, exporters
 * off. Run from the repository root, as {@link PaymentBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX})
public class JdbcExecutionBenchmark {

    private static final int ORDERS = 100;

    /** The pool and its table, one for all threads. */
    @State(Scope.Benchmark)
    public static class Pool {

        HikariDataSource dataSource;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
            config.setPoolName("bench");
            config.setMaximumPoolSize(4);
            dataSource = new HikariDataSource(config);
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, status VARCHAR(16), amount DECIMAL(10, 2))");
                statement.execute("INSERT INTO orders SELECT x, CASE WHEN MOD(x, 10) = 9 THEN 'DECLINED' ELSE 'PAID' END,"
                        + " x * 2.5 FROM SYSTEM_RANGE(0, " + (ORDERS - 1) + ")");
                statement.execute("CREATE ALIAS IN_SPAN FOR '" + Forks.class.getName() + ".inSpan'");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            dataSource.close();
        }
    }

    private Connection connection;
    private PreparedStatement select;
    private long orderNo;

    @Setup(Level.Trial)
    public void prepare(Pool pool, BenchmarkParams params) throws Exception {
        String variant = Forks.variant(params);
        Forks.requireAgents(variant);
        connection = pool.dataSource.getConnection();
        select = connection.prepareStatement("SELECT status, amount FROM orders WHERE id = ?");
        query();
        Forks.requireWoven(variant, "the pool's statements", "jdbc");
        try (PreparedStatement probe = connection.prepareStatement("SELECT IN_SPAN()");
             ResultSet traced = probe.executeQuery()) {
            traced.next();
            Forks.requireTraced(variant, traced.getBoolean(1), "an execution through the pool");
        }
    }

    @TearDown(Level.Trial)
    public void release() throws SQLException {
        select.close();
        connection.close();
    }

    private long query() throws SQLException {
        long n = orderNo++ % ORDERS;
        select.setLong(1, n);
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getString(1).length() + row.getLong(2);
        }
    }

    @Benchmark
    public long baseline() throws SQLException {
        return query();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX, PaymentBenchmark.METRICS_AGENT})
    public long agent() throws SQLException {
        return query();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX, PaymentBenchmark.OTEL_AGENT,
            PaymentBenchmark.OTEL_TRACES, PaymentBenchmark.OTEL_METRICS, PaymentBenchmark.OTEL_LOGS,
            PaymentBenchmark.OTEL_QUIET})
    public long otel() throws SQLException {
        return query();
    }
}
