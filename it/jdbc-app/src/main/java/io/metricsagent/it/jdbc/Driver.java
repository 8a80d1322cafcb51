package io.metricsagent.it.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * H2 with no pool: one connection from {@link DriverManager} to an in-memory database of its own,
 * {@code plain}, with a table {@code plain} of one row, as an application without a pool runs
 * statements on it.
 */
final class Driver implements AutoCloseable {

    private final Connection connection;

    Driver() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:plain;DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE plain (id INT PRIMARY KEY, amount INT)");
        }
    }

    /**
     * n prepared SELECTs; one prepared UPDATE, through {@code executeUpdate}; one call, prepared
     * with {@code prepareCall}; a batch of two plain INSERTs added to one {@code Statement}.
     */
    void run(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            try (PreparedStatement s = connection.prepareStatement("select amount from plain where id = ?")) {
                s.setInt(1, 1);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                }
            }
        }
        try (PreparedStatement s = connection.prepareStatement("UPDATE plain SET amount = amount + 1")) {
            s.executeUpdate();
        }
        try (CallableStatement s = connection.prepareCall("CALL 6 * 7")) {
            s.execute();
        }
        try (Statement s = connection.createStatement()) {
            s.addBatch("INSERT INTO plain VALUES (" + (n + 100) + ", 1)");
            s.addBatch("INSERT INTO plain VALUES (" + (n + 200) + ", 2)");
            s.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
