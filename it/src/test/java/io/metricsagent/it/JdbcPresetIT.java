package io.metricsagent.it;

import static io.metricsagent.it.PresetsIT.jdbcApp;
import static io.metricsagent.it.RuleSelectionIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code jdbc} preset over HikariCP 5.1.0 and H2 2.3.232 ({@code it/jdbc-app}, no metrics code,
 * no configuration file, {@code presets=jdbc}), on JDK 17 and Temurin 25: every statement executed,
 * through Hikari's proxies or on a connection of H2's own driver, counted once in
 * {@code db_client_operation_duration_seconds} by the database, the operation (a prepared
 * statement's from its prepare, a call's from {@code prepareCall}) and the driver's exception; a
 * batch once; a statement prepared on another thread, and a batch of plain statements, as
 * {@code unknown}; {@code presets=none} serves no such family.
 */
class JdbcPresetIT {

    private static final String FAMILY = "db_client_operation_duration_seconds";

    @OnEveryJdk
    void everyExecutionOnceByOperationThroughThePoolAndTheDriver(String jdk, Path java) throws Exception {
        try (JvmProcess app = jdbcApp(java, "port=0", "host=127.0.0.1", "host_metrics=false", "presets=jdbc")) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            // Before "ready" each pool ran two plain statements: its table created, then filled.
            run(app, "query orders 3");
            run(app, "update orders 2");
            run(app, "prepare reports 4");
            run(app, "batch reports 3");
            run(app, "bad orders");
            assertTrue(app.stdout().contains("failed 42S02"), app::describe);
            run(app, "handoff orders 2");
            run(app, "driver 5");
            Exposition m = Exposition.scrape(port);
            Expected.assertSamples(m, "statements on " + jdk, """
                    # Hikari's proxy, its superclass and H2's statement: one execution, once.
                    db_client_operation_duration_seconds_count{db_system_name, db_operation_name, error_type}
                    h2database  CREATE   ""                                      3
                    h2database  INSERT   ""                                      3
                    h2database  SELECT   ""                                      12
                    h2database  SELECT   org.h2.jdbc.JdbcSQLSyntaxErrorException  1
                    h2database  UPDATE   ""                                      3
                    h2database  CALL     ""                                      1
                    h2database  unknown  ""                                      3

                    # Methods woven, of the classes loaded (Hikari's callable statement never loads here).
                    # prepareStatement: 6 overloads each in HikariProxyConnection, ProxyConnection, H2's
                    # JdbcConnection and the JDK proxy Hikari puts behind a connection given back: 24;
                    # prepareCall: 3 each, 12. Statement.execute*: HikariProxyStatement 15, ProxyStatement
                    # 15, HikariProxyPreparedStatement 19, ProxyPreparedStatement 4, JdbcStatement 17,
                    # JdbcPreparedStatement 9 and JdbcCallableStatement 2, H2's private ones included: 81.
                    metrics_agent_rule_methods{rule}
                    preset:jdbc.yml:13      24
                    preset:jdbc.yml:23      12
                    preset:jdbc.yml:33      81
                    """);
            assertEquals(0, m.counter("metrics_agent_internal_errors_total", "component=advice"));
            assertEquals(List.of(), PresetsIT.agentLines(app), app::describe);
        }
    }

    @OnEveryJdk
    void noneServesNoStatements(String jdk, Path java) throws Exception {
        try (JvmProcess app = jdbcApp(java, "port=0", "host=127.0.0.1", "presets=none")) {
            app.awaitStdout("^ready$");
            run(app, "query orders 1");
            run(app, "driver 1");
            assertFalse(Exposition.scrape(app.metricsPort()).has(FAMILY), () -> "presets=none on " + jdk);
            assertEquals(List.of(), PresetsIT.agentLines(app), app::describe);
        }
    }
}
