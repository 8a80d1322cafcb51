package io.metricsagent.orders;

import com.zaxxer.hikari.HikariDataSource;
import io.metricsagent.it.truth.Ledger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The orders table, every statement through {@link JdbcTemplate} and counted by its operation and
 * the driver's exception ({@code -} when none): plain statements for the schema and the listing,
 * prepared ones for the rest. An order's history is a table that does not exist.
 */
@Repository
public class Orders {

    private static final RowMapper<Order> ORDER = (row, n) -> new Order(row.getLong("id"), row.getString("item"), row.getInt("quantity"));

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final AtomicLong lastId = new AtomicLong();

    /** Creates the table with order 1 in it, and waits for the pool to be full. */
    public Orders(JdbcTemplate jdbc, HikariDataSource pool, Ledger ledger) throws InterruptedException {
        this.jdbc = jdbc;
        this.ledger = ledger;
        run("CREATE", () -> {
            jdbc.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(64) NOT NULL, quantity INT NOT NULL)");
            return null;
        });
        add("apple", 1);
        while (pool.getHikariPoolMXBean().getTotalConnections() < pool.getMaximumPoolSize()) {
            Thread.sleep(10);
        }
    }

    public List<Order> all() {
        return run("SELECT", () -> jdbc.query("SELECT id, item, quantity FROM orders ORDER BY id", ORDER));
    }

    public Optional<Order> find(long id) {
        return run("SELECT", () -> jdbc.query("SELECT id, item, quantity FROM orders WHERE id = ?", ORDER, id).stream().findFirst());
    }

    public long count() {
        return run("SELECT", () -> jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class));
    }

    public long add(String item, int quantity) {
        long id = lastId.incrementAndGet();
        run("INSERT", () -> jdbc.update("INSERT INTO orders (id, item, quantity) VALUES (?, ?, ?)", id, item, quantity));
        return id;
    }

    /** Whether the order was there. */
    public boolean changeQuantity(long id, int quantity) {
        return run("UPDATE", () -> jdbc.update("UPDATE orders SET quantity = ? WHERE id = ?", quantity, id)) == 1;
    }

    /** Whether the order was there. */
    public boolean remove(long id) {
        return run("DELETE", () -> jdbc.update("DELETE FROM orders WHERE id = ?", id)) == 1;
    }

    /**
     * Always fails: H2's syntax exception, as Spring's {@code BadSqlGrammarException}. A plain
     * statement, so that it fails when executed; a prepared one would fail being prepared.
     */
    public List<String> history(long id) {
        return run("SELECT", () -> jdbc.queryForList("SELECT event FROM order_history WHERE order_id = " + id, String.class));
    }

    private <T> T run(String operation, Supplier<T> statement) {
        try {
            T result = statement.get();
            ledger.count("sql", operation, "-");
            return result;
        } catch (DataAccessException e) {
            ledger.count("sql", operation, e.getMostSpecificCause().getClass().getName());
            throw e;
        }
    }

    public record Order(long id, String item, int quantity) {}
}
