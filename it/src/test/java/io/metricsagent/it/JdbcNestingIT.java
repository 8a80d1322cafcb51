package io.metricsagent.it;

import static io.metricsagent.it.RuleSelectionIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * One JDBC call counts once on a real third-party stack: rules on the {@code java.sql} interfaces
 * over HikariCP 5.1.0 and H2 2.3.232 ({@code it/jdbc-app}, no metrics code), where every call
 * passes through Hikari's generated proxy ({@code HikariProxyPreparedStatement}), its superclass
 * ({@code ProxyPreparedStatement}) and H2's statement ({@code JdbcPreparedStatement}), each of which
 * implements the method. Rules with the default {@code nesting: outermost} count each call once,
 * labelled by the proxy; the same rules with {@code nesting: all} count every level; a
 * {@code nesting_group} shared by a rule on {@code Statement} and one on {@code PreparedStatement}
 * counts an execution once between them; H2's exception through Hikari's proxy is classified once.
 *
 * <p>The label {@code database} is the connection's catalog, read through the public JDBC
 * interfaces at every level ({@code this.connection.catalog}): Hikari keeps the pool's name
 * behind private fields, which a rule's path does not read, and here each pool has a database of
 * its own name.
 */
class JdbcNestingIT {

    static final String RULES = ""
            + "errors:\n"
            + "  - type: java.sql.SQLException        # H2 throws JdbcSQLSyntaxErrorException, a subclass\n"
            + "    error_type: sql_error\n"
            + "metrics:\n"
            + "  - extends: java.sql.PreparedStatement\n"
            + "    method: executeQuery\n"
            + "    name: jdbc_queries\n"
            + "    labels: {statement: $class, database: this.connection.catalog}\n"
            + "    in_flight: true\n"
            + "  - extends: java.sql.PreparedStatement\n"
            + "    method: executeQuery\n"
            + "    name: jdbc_query_levels\n"
            + "    labels: {statement: $class}\n"
            + "    nesting: all\n"
            + "  - extends: java.sql.Statement\n"
            + "    method: execute*\n"
            + "    name: jdbc_statements\n"
            + "    labels: {statement: $class, method: $method, database: this.connection.catalog}\n"
            + "  - extends: java.sql.Statement\n"
            + "    method: execute*\n"
            + "    name: jdbc_statement_levels\n"
            + "    labels: {statement: $class, method: $method}\n"
            + "    nesting: all\n"
            + "  - extends: java.sql.Connection\n"
            + "    method: prepareStatement\n"
            + "    name: jdbc_prepares\n"
            + "    labels: {connection: $class, database: this.catalog}\n"
            + "  - extends: java.sql.Connection\n"
            + "    method: prepareStatement\n"
            + "    name: jdbc_prepare_levels\n"
            + "    labels: {connection: $class}\n"
            + "    nesting: all\n"
            + "  - extends: java.sql.PreparedStatement\n"
            + "    method: execute*\n"
            + "    name: jdbc_prepared_executions\n"
            + "    labels: {statement: $class, method: $method}\n"
            + "    nesting_group: jdbc\n"
            + "  - extends: java.sql.Statement\n"
            + "    method: execute*\n"
            + "    name: jdbc_executions\n"
            + "    labels: {statement: $class, method: $method}\n"
            + "    nesting_group: jdbc\n";

    @OnEveryJdk
    void eachCallCountsOnceThroughHikarisProxiesAndH2AndOncePerLevelWithNestingAll(String jdk, Path java,
                                                                                   @TempDir Path dir) throws Exception {
        Path config = dir.resolve("jdbc.yml");
        Files.writeString(config, RULES);
        // The rules alone: the hikaricp preset's gauges and their rule ids are PresetsIT's.
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1", "host_metrics=false", "presets=none",
                "config=" + config)
                .main(Artifacts.classPath(Artifacts.jdbcDir(), "jdbc-app"), "io.metricsagent.it.jdbc.JdbcApp").start()) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            // Before "ready" each pool ran two Statement.execute (its table created and filled).
            run(app, "query orders 3");
            run(app, "update orders 2");
            run(app, "prepare reports 4");
            run(app, "prepare orders 2");
            run(app, "batch reports 3");
            run(app, "bad orders");
            assertTrue(app.stdout().contains("failed 42S02"), app::describe);
            Exposition m = Exposition.scrape(port);

            Expected.assertSamples(m, "JDBC calls on " + jdk, """
                    # PreparedStatement.executeQuery: once per query, by Hikari's proxy, the outermost level.
                    jdbc_queries_total{statement, database, exception} != 0
                    HikariProxyPreparedStatement  ORDERS   none  2
                    HikariProxyPreparedStatement  REPORTS  none  4

                    jdbc_queries_duration_seconds_count
                    6

                    jdbc_queries_in_flight{statement, database}
                    HikariProxyPreparedStatement  ORDERS   0
                    HikariProxyPreparedStatement  REPORTS  0

                    jdbc_query_levels_total{statement} != 0
                    HikariProxyPreparedStatement  6
                    ProxyPreparedStatement        6
                    JdbcPreparedStatement         6

                    # Statement.execute*: the 17 executions once each (the prepared ones too, as a
                    # PreparedStatement is a Statement), the bad SELECT once as sql_error.
                    jdbc_statements_total{statement, method, database, exception} != 0
                    HikariProxyStatement          execute       ORDERS   none       2
                    HikariProxyStatement          execute       REPORTS  none       2
                    HikariProxyStatement          executeQuery  ORDERS   none       3
                    HikariProxyStatement          executeQuery  ORDERS   sql_error  1
                    HikariProxyStatement          executeUpdate ORDERS   none       2
                    HikariProxyPreparedStatement  executeQuery  ORDERS   none       2
                    HikariProxyPreparedStatement  executeQuery  REPORTS  none       4
                    HikariProxyPreparedStatement  executeBatch  REPORTS  none       1

                    jdbc_statements_duration_seconds_count
                    17

                    # Every level: Hikari's proxy, its superclass, H2's statement, and the private methods
                    # H2's statement delegates to, which execute* selects too. An executeBatch passes
                    # through ProxyStatement, as Hikari's ProxyPreparedStatement does not override it.
                    # The bad SELECT fails all three of its levels.
                    jdbc_statement_levels_total{statement, method, exception} != 0
                    HikariProxyStatement          execute                 none       4
                    ProxyStatement                execute                 none       4
                    JdbcStatement                 execute                 none       4
                    JdbcStatement                 executeInternal         none       4
                    HikariProxyStatement          executeQuery            none       3
                    HikariProxyStatement          executeQuery            sql_error  1
                    ProxyStatement                executeQuery            none       3
                    ProxyStatement                executeQuery            sql_error  1
                    JdbcStatement                 executeQuery            none       3
                    JdbcStatement                 executeQuery            sql_error  1
                    HikariProxyStatement          executeUpdate           none       2
                    ProxyStatement                executeUpdate           none       2
                    JdbcStatement                 executeUpdate           none       2
                    JdbcStatement                 executeUpdateInternal   none       2
                    HikariProxyPreparedStatement  executeQuery            none       6
                    ProxyPreparedStatement        executeQuery            none       6
                    JdbcPreparedStatement         executeQuery            none       6
                    HikariProxyPreparedStatement  executeBatch            none       1
                    ProxyStatement                executeBatch            none       1
                    JdbcPreparedStatement         executeBatch            none       1
                    JdbcPreparedStatement         executeBatchInternal    none       1

                    jdbc_statement_levels_total
                    58

                    # Connection.prepareStatement: 4 + 1 (the batch's) on reports, 2 on orders.
                    jdbc_prepares_total{connection, database} != 0
                    HikariProxyConnection  ORDERS   2
                    HikariProxyConnection  REPORTS  5

                    jdbc_prepare_levels_total{connection} != 0
                    HikariProxyConnection  7
                    ProxyConnection        7
                    JdbcConnection         7

                    # One group for both rules: an execution counts once between them. Where both select
                    # the outermost level (a prepared statement's executeQuery), the rule written first
                    # has it.
                    jdbc_prepared_executions_total{statement, method, exception} != 0
                    HikariProxyPreparedStatement  executeQuery  none  6
                    HikariProxyPreparedStatement  executeBatch  none  1

                    jdbc_executions_total{statement, method, exception} != 0
                    HikariProxyStatement  execute        none       4
                    HikariProxyStatement  executeQuery   none       3
                    HikariProxyStatement  executeQuery   sql_error  1
                    HikariProxyStatement  executeUpdate  none       2

                    # Methods woven, of the classes loaded (HikariProxyCallableStatement and H2's
                    # JdbcCallableStatement never load here). executeQuery of a PreparedStatement: both
                    # overloads of HikariProxyPreparedStatement and of JdbcPreparedStatement, and
                    # ProxyPreparedStatement's one: 5.
                    # Statement.execute*: HikariProxyStatement 15, ProxyStatement 15,
                    # HikariProxyPreparedStatement 19, ProxyPreparedStatement 4; H2's JdbcStatement 17 and
                    # JdbcPreparedStatement 9, private ones included: 79 in all. The default methods of
                    # java.sql.Statement and PreparedStatement are the JDK's, never woven.
                    # PreparedStatement.execute*: 19 + 4 + 9 = 32.
                    # Connection.prepareStatement: 6 overloads each in HikariProxyConnection,
                    # ProxyConnection, JdbcConnection, and the JDK proxy (jdk.proxy1.$Proxy0) that Hikari
                    # puts behind a connection given back: 24.
                    metrics_agent_rule_methods{rule}
                    %s  5
                    %s  5
                    %s  79
                    %s  79
                    %s  24
                    %s  24
                    %s  32
                    %s  79
                    """.formatted(rule("jdbc_queries"), rule("jdbc_query_levels"), rule("jdbc_statements"),
                    rule("jdbc_statement_levels"), rule("jdbc_prepares"), rule("jdbc_prepare_levels"),
                    rule("jdbc_prepared_executions"), rule("jdbc_executions")));
            // Every execute* method is one of Statement's: 79 + 24.
            assertEquals(103, m.gauge("metrics_agent_instrumented_methods"));
            assertEquals(0, m.counter("metrics_agent_internal_errors_total", "component=advice"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }

    /** {@code jdbc.yml:<line>}, the line of the rule that names the metric {@code name}. */
    private static String rule(String name) {
        List<String> lines = RULES.lines().collect(Collectors.toList());
        int line = lines.indexOf("    name: " + name);
        while (!lines.get(line).startsWith("  - ")) {
            line--;
        }
        return "jdbc.yml:" + (line + 1);
    }
}
