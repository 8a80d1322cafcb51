package io.metricsagent.it.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One named HikariCP pool over its own in-memory H2 database, which has one table of the pool's name. */
final class Pool {

    private static final long FILL_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final HikariDataSource dataSource;
    private final List<Connection> held = new ArrayList<>();
    private final List<Thread> waiting = new ArrayList<>();
    private int nextId = 4;

    Pool(String name, int size) throws SQLException {
        this.name = name;
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        // DB_CLOSE_DELAY=-1: the database lives while the JVM does, not while a connection is open.
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        dataSource = new HikariDataSource(config);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY, label VARCHAR(64), amount INT)");
            s.execute("INSERT INTO " + name + " VALUES (1, 'first', 10), (2, 'second', 20), (3, 'third', 30)");
        }
    }

    /** Waits until Hikari has opened every connection of the pool, which it does on a thread of its own. */
    void awaitFull() throws InterruptedException {
        HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
        long deadline = System.currentTimeMillis() + FILL_TIMEOUT_MILLIS;
        while (bean.getIdleConnections() < dataSource.getMaximumPoolSize()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(stats() + " not full after " + FILL_TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(10);
        }
    }

    void query(int n) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + name)) {
                    rows.next();
                }
            }
        }
    }

    void update(int n) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                s.executeUpdate("UPDATE " + name + " SET amount = amount + 1 WHERE id = 1");
            }
        }
    }

    void prepare(int n) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < n; i++) {
                try (PreparedStatement s = c.prepareStatement("SELECT label FROM " + name + " WHERE id = ?")) {
                    s.setInt(1, 1 + i % 3);
                    try (ResultSet rows = s.executeQuery()) {
                        rows.next();
                    }
                }
            }
        }
    }

    /**
     * n SELECTs prepared on a thread of their own, which then ends, and run here: what a
     * statement prepared on one thread and run on another looks like.
     */
    void handOff(int n) throws SQLException, InterruptedException {
        try (Connection c = dataSource.getConnection()) {
            List<PreparedStatement> prepared = new ArrayList<>();
            SQLException[] failed = new SQLException[1];
            Thread preparing = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        prepared.add(c.prepareStatement("SELECT label FROM " + name + " WHERE id = 1"));
                    }
                } catch (SQLException e) {
                    failed[0] = e;
                }
            }, name + "-preparing");
            preparing.start();
            preparing.join();
            if (failed[0] != null) {
                throw failed[0];
            }
            for (PreparedStatement s : prepared) {
                try (s; ResultSet rows = s.executeQuery()) {
                    rows.next();
                }
            }
        }
    }

    void batch(int n) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO " + name + " VALUES (?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                int id = nextId++;
                s.setInt(1, id);
                s.setString(2, "row " + id);
                s.setInt(3, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Runs a statement the database refuses; returns the SQL state of what it threw. */
    String badStatement() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT * FROM no_such_table");
            throw new IllegalStateException("a SELECT of a missing table succeeded");
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    void hold(int k) throws SQLException {
        for (int i = 0; i < k; i++) {
            held.add(dataSource.getConnection());
        }
    }

    /** Starts k threads that wait for a connection; returns once Hikari counts them waiting. */
    void await(int k) throws InterruptedException {
        HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
        int expected = bean.getThreadsAwaitingConnection() + k;
        for (int i = 0; i < k; i++) {
            Thread thread = new Thread(() -> {
                try (Connection c = dataSource.getConnection()) {
                    c.isValid(1);
                } catch (SQLException e) {
                    System.out.println("wait failed " + e.getMessage());
                }
            }, name + "-waiter-" + waiting.size());
            waiting.add(thread);
            thread.start();
        }
        long deadline = System.currentTimeMillis() + FILL_TIMEOUT_MILLIS;
        while (bean.getThreadsAwaitingConnection() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }

    void release() throws SQLException, InterruptedException {
        for (Connection c : held) {
            c.close();
        }
        held.clear();
        for (Thread thread : waiting) {
            thread.join();
        }
        waiting.clear();
    }

    String stats() {
        HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
        return name + " active=" + bean.getActiveConnections() + " idle=" + bean.getIdleConnections()
                + " total=" + bean.getTotalConnections() + " awaiting=" + bean.getThreadsAwaitingConnection();
    }

    void close() throws SQLException, InterruptedException {
        release();
        dataSource.close();
    }
}
