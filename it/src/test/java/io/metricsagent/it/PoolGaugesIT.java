package io.metricsagent.it;

import static io.metricsagent.it.RuleSelectionIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * HikariCP's own pool class, read by the configuration file's gauges labelled by the pool's name
 * ({@code it/jdbc-app}: pools {@code orders} of 5 connections and {@code reports} of 2, no metrics
 * code): one series per pool and gauge, with the values Hikari's own pool bean gives, while
 * connections are held and awaited and after they are given back; a pool closed and collected
 * leaves {@code /metrics}. The name is a field of Hikari's package-private superclass
 * ({@code this.poolName}), or read through the pool's configuration ({@code this.config.poolName}).
 */
class PoolGaugesIT {

    private static final String GAUGES = ""
            + "gauges:\n"
            + "  - class: com.zaxxer.hikari.pool.HikariPool\n"
            + "    method: getActiveConnections\n"
            + "    name: hikaricp_connections_active\n"
            + "    help: Connections in use\n"
            + "    labels: {pool: this.poolName}\n"
            + "  - class: com.zaxxer.hikari.pool.HikariPool\n"
            + "    method: getIdleConnections\n"
            + "    name: hikaricp_connections_idle\n"
            + "    labels: {pool: this.poolName, database: h2}\n"
            + "  - class: com.zaxxer.hikari.pool.HikariPool\n"
            + "    method: getTotalConnections\n"
            + "    name: hikaricp_connections\n"
            + "    labels: {pool: this.poolName}\n"
            + "  - class: com.zaxxer.hikari.pool.HikariPool\n"
            + "    method: getThreadsAwaitingConnection\n"
            + "    name: hikaricp_connections_pending\n"
            + "    labels: {pool: this.config.poolName}\n";

    /** How many times the closed pool is given a chance to be collected before the test fails. */
    private static final int GC_ROUNDS = 50;

    @OnEveryJdk
    void eachPoolHasItsOwnSeriesAndAClosedPoolLeaves(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("hikaricp.yml");
        Files.writeString(config, GAUGES);
        Path target = Artifacts.jdbcDir();
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1", "config=" + config)
                .main(Artifacts.classPath(target, "jdbc-app"), "io.metricsagent.it.jdbc.JdbcApp").start()) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();

            run(app, "hold orders 3");
            run(app, "hold reports 1");
            assertPools(port, app, "orders active=3 idle=2 total=5 awaiting=0", "reports active=1 idle=1 total=2 awaiting=0");

            // reports is exhausted: two more threads wait for it.
            run(app, "hold reports 1");
            run(app, "wait reports 2");
            assertPools(port, app, "orders active=3 idle=2 total=5 awaiting=0", "reports active=2 idle=0 total=2 awaiting=2");

            // Work through the proxies, a failing statement too, changes no pool's counts.
            run(app, "release reports");
            run(app, "query orders 5");
            run(app, "bad reports");
            run(app, "batch reports 3");
            assertPools(port, app, "orders active=3 idle=2 total=5 awaiting=0", "reports active=0 idle=2 total=2 awaiting=0");
            run(app, "release orders");
            assertPools(port, app, "orders active=0 idle=5 total=5 awaiting=0", "reports active=0 idle=2 total=2 awaiting=0");

            run(app, "close reports");
            Exposition m = Exposition.scrape(port);
            for (int round = 0; round < GC_ROUNDS && m.series("hikaricp_connections", "pool=reports").size() > 0; round++) {
                run(app, "gc");
                m = Exposition.scrape(port);
            }
            for (String family : List.of("hikaricp_connections_active", "hikaricp_connections_idle", "hikaricp_connections",
                    "hikaricp_connections_pending")) {
                assertEquals(List.of("orders"), pools(m, family),
                        () -> family + ": the closed pool is still served after " + GC_ROUNDS + " collections");
            }
            assertEquals(5, m.gauge("hikaricp_connections", "pool=orders"));
            assertFalse(m.has("metrics_agent_gauge_labels_unknown_total"), "a pool's name was read as unknown");
            assertEquals(0, m.counter("metrics_agent_internal_errors_total", "component=gauge"));
            assertEquals(List.of(), app.stderr().stream().filter(l -> l.startsWith("[metrics-agent]"))
                    .filter(l -> !l.contains("serving metrics on")).toList(), app::describe);
        }
    }

    /**
     * Asserts the pools' series, from one scrape, against what the application says its pools'
     * counts are ({@code <pool> active=.. idle=.. total=.. awaiting=..}, Hikari's own pool bean).
     */
    private static void assertPools(int port, JvmProcess app, String orders, String reports) throws Exception {
        Exposition m = Exposition.scrape(port);
        int before = app.stdout().size();
        run(app, "stats");
        assertEquals(List.of(orders, reports, "done stats"), app.stdout().subList(before, app.stdout().size()), app::describe);
        StringBuilder tables = new StringBuilder();
        for (String[] gauge : new String[][] {{"hikaricp_connections_active", "active"}, {"hikaricp_connections_idle", "idle"},
                {"hikaricp_connections", "total"}, {"hikaricp_connections_pending", "awaiting"}}) {
            tables.append(new Expected.Table(gauge[0] + "{pool}")
                    .row("orders", count(orders, gauge[1])).row("reports", count(reports, gauge[1])));
        }
        Expected.assertSamples(m, orders + ", " + reports, tables.toString());
        assertEquals(Map.of("database", "h2", "pool", "orders"),
                Exposition.labels(m.series("hikaricp_connections_idle", "pool=orders").get(0)));
    }

    private static double count(String stats, String key) {
        for (String word : stats.split(" ")) {
            if (word.startsWith(key + "=")) {
                return Double.parseDouble(word.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in " + stats);
    }

    /** The pools of the family's series. */
    private static List<String> pools(Exposition m, String family) {
        return m.series(family).stream().map(series -> Exposition.labels(series).get("pool")).sorted().toList();
    }
}
