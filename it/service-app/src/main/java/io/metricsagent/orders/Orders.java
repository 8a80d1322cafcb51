package io.metricsagent.orders;

import com.zaxxer.hikari.HikariDataSource;
import io.metricsagent.it.truth.Ledger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The orders table, every statement through {@link JdbcTemplate} and counted by its operation as
 * it is run: plain statements for the schema and the listing, prepared ones for the rest.
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
        ran("CREATE");
        jdbc.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(64) NOT NULL, quantity INT NOT NULL)");
        add("apple", 1);
        while (pool.getHikariPoolMXBean().getTotalConnections() < pool.getMaximumPoolSize()) {
            Thread.sleep(10);
        }
    }

    public List<Order> all() {
        ran("SELECT");
        return jdbc.query("SELECT id, item, quantity FROM orders ORDER BY id", ORDER);
    }

    public Optional<Order> find(long id) {
        ran("SELECT");
        return jdbc.query("SELECT id, item, quantity FROM orders WHERE id = ?", ORDER, id).stream().findFirst();
    }

    public long count() {
        ran("SELECT");
        return jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class);
    }

    public long add(String item, int quantity) {
        long id = lastId.incrementAndGet();
        ran("INSERT");
        jdbc.update("INSERT INTO orders (id, item, quantity) VALUES (?, ?, ?)", id, item, quantity);
        return id;
    }

    /** Whether the order was there. */
    public boolean changeQuantity(long id, int quantity) {
        ran("UPDATE");
        return jdbc.update("UPDATE orders SET quantity = ? WHERE id = ?", quantity, id) == 1;
    }

    /** Whether the order was there. */
    public boolean remove(long id) {
        ran("DELETE");
        return jdbc.update("DELETE FROM orders WHERE id = ?", id) == 1;
    }

    private void ran(String operation) {
        ledger.count("sql", operation);
    }

    public record Order(long id, String item, int quantity) {}
}
