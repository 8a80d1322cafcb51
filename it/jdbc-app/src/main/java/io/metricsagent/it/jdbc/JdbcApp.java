package io.metricsagent.it.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two HikariCP pools, {@code orders} (5 connections) and {@code reports} (2), each over an
 * in-memory H2 database with a table of its own name, as an application uses them: every JDBC
 * call goes through Hikari's proxies. Runs one command per stdin line and prints
 * {@code done <line>} after it, so that a test knows what was done when:
 * <ul>
 *   <li>{@code query <pool> <n>}: n SELECTs through one {@code Statement};</li>
 *   <li>{@code update <pool> <n>}: n UPDATEs through one {@code Statement};</li>
 *   <li>{@code prepare <pool> <n>}: n {@code PreparedStatement}s prepared, each run once;</li>
 *   <li>{@code batch <pool> <n>}: n INSERTs added to one batch, run once;</li>
 *   <li>{@code handoff <pool> <n>}: n SELECTs prepared on another thread, run on this one;</li>
 *   <li>{@code driver <n>}: with no pool, on a connection of H2's own driver (see {@link Driver#run}):
 *       n prepared SELECTs, a prepared UPDATE, a prepared call and a batch of plain INSERTs; its
 *       table is created on the first;</li>
 *   <li>{@code bad <pool>}: a SELECT of a table that does not exist; the {@code SQLException} is
 *       caught here and printed as {@code failed <SQL state>};</li>
 *   <li>{@code hold <pool> <k>}: k more connections borrowed and kept open;</li>
 *   <li>{@code wait <pool> <k>}: k threads that ask the pool for a connection, each giving it back
 *       as soon as it has it; done once the pool counts them waiting (hold them all first);</li>
 *   <li>{@code release <pool>}: the held connections closed (given back), and the waiting threads
 *       finished;</li>
 *   <li>{@code stats}: per pool, {@code <name> active=.. idle=.. total=.. awaiting=..} as Hikari's
 *       own pool bean says;</li>
 *   <li>{@code close <pool>}: the pool closed and dropped by the application;</li>
 *   <li>{@code gc}: {@code System.gc()}.</li>
 * </ul>
 * Each pool is fixed-size (minimum idle = maximum size), the configuration Hikari recommends, and
 * {@code ready} is printed once both are full: no connection is added behind a test's back.
 */
public final class JdbcApp {

    private JdbcApp() {}

    public static void main(String[] args) throws Exception {
        Map<String, Pool> pools = new LinkedHashMap<>();
        pools.put("orders", new Pool("orders", 5));
        pools.put("reports", new Pool("reports", 2));
        for (Pool pool : pools.values()) {
            pool.awaitFull();
        }
        System.out.println("ready");
        Driver driver = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" +");
            Pool pool = words.length > 1 ? pools.get(words[1]) : null;
            int n = words.length > 2 ? Integer.parseInt(words[2]) : 0;
            switch (words[0]) {
                case "query":
                    pool.query(n);
                    break;
                case "update":
                    pool.update(n);
                    break;
                case "prepare":
                    pool.prepare(n);
                    break;
                case "batch":
                    pool.batch(n);
                    break;
                case "handoff":
                    pool.handOff(n);
                    break;
                case "driver":
                    driver = driver == null ? new Driver() : driver;
                    driver.run(Integer.parseInt(words[1]));
                    break;
                case "bad":
                    System.out.println("failed " + pool.badStatement());
                    break;
                case "hold":
                    pool.hold(n);
                    break;
                case "wait":
                    pool.await(n);
                    break;
                case "release":
                    pool.release();
                    break;
                case "stats":
                    for (Pool each : pools.values()) {
                        System.out.println(each.stats());
                    }
                    break;
                case "close":
                    pools.remove(words[1]).close();
                    break;
                case "gc":
                    System.gc();
                    break;
                default:
                    System.out.println("unknown command " + line);
            }
            System.out.println("done " + line);
        }
        for (Pool pool : pools.values()) {
            pool.close();
        }
        if (driver != null) {
            driver.close();
        }
    }
}
