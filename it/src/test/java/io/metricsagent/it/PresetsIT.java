package io.metricsagent.it;

import static io.metricsagent.it.RuleSelectionIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code hikaricp} preset over HikariCP 5.1.0 ({@code it/jdbc-app}: pools {@code orders} of 5
 * connections and {@code reports} of 2, no metrics code, no configuration file): per pool the six
 * gauges equal to what Hikari's own pool bean and configuration say, while connections are held and
 * awaited; {@code presets=none} serves none of them, and an unknown preset's name is one line while
 * the others stay in force; a printed preset works as a config file; and the sample, which uses
 * none of the presets' libraries, serves the same with them as without. (Hikari 7 and the
 * {@code scheduled} preset: {@link ServiceAppIT}.)
 */
class PresetsIT {

    private static final List<String> POOL_FAMILIES = List.of("hikaricp_connections", "hikaricp_connections_active",
            "hikaricp_connections_idle", "hikaricp_connections_pending", "hikaricp_connections_max",
            "hikaricp_connections_min");

    static JvmProcess jdbcApp(Path java, String... agentOptions) throws Exception {
        return AgentJvm.on(java).agent(agentOptions)
                .main(Artifacts.classPath(Artifacts.jdbcDir(), "jdbc-app"), "io.metricsagent.it.jdbc.JdbcApp").start();
    }

    @OnEveryJdk
    void eachPoolsGaugesAreHikarisOwnWithNoConfiguration(String jdk, Path java) throws Exception {
        try (JvmProcess app = jdbcApp(java, "port=0", "host=127.0.0.1")) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            run(app, "hold orders 3");
            run(app, "hold reports 2");
            run(app, "wait reports 1");
            assertPools(port, app, "pools held and awaited on " + jdk, """
                    hikaricp_connections{pool}
                    orders   5
                    reports  2

                    hikaricp_connections_active{pool}
                    orders   3
                    reports  2

                    hikaricp_connections_idle{pool}
                    orders   2
                    reports  0

                    hikaricp_connections_pending{pool}
                    orders   0
                    reports  1

                    hikaricp_connections_max{pool}
                    orders   5
                    reports  2

                    hikaricp_connections_min{pool}
                    orders   5
                    reports  2
                    """, "orders active=3 idle=2 total=5 awaiting=0", "reports active=2 idle=0 total=2 awaiting=1");
            run(app, "release reports");
            run(app, "release orders");
            assertPools(port, app, "pools given back on " + jdk, """
                    hikaricp_connections_active{pool}
                    orders   0
                    reports  0

                    hikaricp_connections_idle{pool}
                    orders   5
                    reports  2

                    hikaricp_connections_pending{pool}
                    orders   0
                    reports  0
                    """, "orders active=0 idle=5 total=5 awaiting=0", "reports active=0 idle=2 total=2 awaiting=0");
            Expected.assertSamples(Exposition.scrape(port), "the preset's gauges' rules on " + jdk, """
                    metrics_agent_rule_methods{rule}
                    preset:hikaricp.yml:5   1
                    preset:hikaricp.yml:10  1
                    preset:hikaricp.yml:15  1
                    preset:hikaricp.yml:20  1
                    preset:hikaricp.yml:25  1
                    preset:hikaricp.yml:30  1
                    # The jdbc preset's, of the statements the pools ran (JdbcPresetIT)
                    preset:jdbc.yml:13      24
                    preset:jdbc.yml:23      12
                    preset:jdbc.yml:33      47
                    """);
            assertEquals(List.of(), agentLines(app), app::describe);
        }
    }

    @OnEveryJdk
    void noneServesNoneAndAnUnknownNameIsOneLine(String jdk, Path java) throws Exception {
        for (String presets : List.of("presets=none", "presets=scheduled+nosuch")) {
            try (JvmProcess app = jdbcApp(java, "port=0", "host=127.0.0.1", presets)) {
                app.awaitStdout("^ready$");
                int port = app.metricsPort();
                run(app, "hold orders 1");
                Exposition m = Exposition.scrape(port);
                for (String family : POOL_FAMILIES) {
                    assertFalse(m.has(family), () -> family + " with " + presets + " on " + jdk);
                }
                assertFalse(m.has("metrics_agent_rule_methods"), presets + " on " + jdk);
                assertEquals(presets.equals("presets=none") ? List.of()
                        : List.of("[metrics-agent] bad configuration: presets: no preset named nosuch; the presets are"
                                + " hikaricp, http_server, jdbc, scheduled (or all, or none); the other presets are in force"),
                        agentLines(app), app::describe);
            }
        }
    }

    /** What {@code java -jar metrics-agent.jar preset hikaricp} prints is a config file that serves the same. */
    @Test
    void aPrintedPresetIsAConfigFileOfItsOwn(@TempDir Path dir) throws Exception {
        Command preset = Command.run(Jdks.current(), "preset", "hikaricp");
        assertEquals(0, preset.exit, preset::describe);
        Path config = Files.write(dir.resolve("pools.yml"), preset.stdout);
        try (JvmProcess app = jdbcApp(Jdks.current(), "port=0", "host=127.0.0.1", "config=" + config, "presets=none")) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            run(app, "hold reports 1");
            assertPools(port, app, "the printed preset as a config file", """
                    hikaricp_connections_active{pool}
                    orders   0
                    reports  1

                    hikaricp_connections_max{pool}
                    orders   5
                    reports  2

                    metrics_agent_rule_methods{rule}
                    pools.yml:5   1
                    pools.yml:10  1
                    pools.yml:15  1
                    pools.yml:20  1
                    pools.yml:25  1
                    pools.yml:30  1
                    """, "orders active=0 idle=5 total=5 awaiting=0", "reports active=1 idle=1 total=2 awaiting=0");
            assertEquals(List.of(), agentLines(app), app::describe);
        }
    }

    /** The sample uses none of the presets' libraries: with them or without, the same families and methods woven. */
    @Test
    void theSampleServesTheSameWithThePresetsAsWithout() throws Exception {
        List<String> served = new ArrayList<>();
        for (String presets : List.of("presets=all", "presets=none")) {
            try (JvmProcess app = AgentJvm.on(Jdks.current()).agent("port=0", "host=127.0.0.1", "host_metrics=false", presets)
                    .jar(Artifacts.sampleJar())
                    .args("--requests", "50", "--threads", "1", "--speed", "0", "--seed", "42").start()) {
                int port = app.metricsPort();
                app.awaitStdout("^summary ");
                // The JVM's families are registered a moment after the endpoint starts.
                Exposition m = Exposition.await(port, e -> e.has("jvm_runtime_info"));
                served.add(new TreeSet<>(m.names()) + " instrumented methods "
                        + m.gauge("metrics_agent_instrumented_methods"));
                assertEquals(List.of(), agentLines(app), app::describe);
            }
        }
        assertEquals(served.get(1), served.get(0));
    }

    /** Takes the scrape, then holds the application's own counts ({@code stats}) to the ones given and the samples to the tables. */
    private static void assertPools(int port, JvmProcess app, String caseName, String tables, String orders,
                                    String reports) throws Exception {
        Exposition m = Exposition.scrape(port);
        int before = app.stdout().size();
        run(app, "stats");
        assertEquals(List.of(orders, reports, "done stats"), app.stdout().subList(before, app.stdout().size()), app::describe);
        Expected.assertSamples(m, caseName, tables);
    }

    /** The agent's lines on stderr but the one saying where it serves. */
    static List<String> agentLines(JvmProcess app) {
        return app.stderr().stream().filter(l -> l.startsWith("[metrics-agent]"))
                .filter(l -> !l.contains("serving metrics on")).toList();
    }
}
