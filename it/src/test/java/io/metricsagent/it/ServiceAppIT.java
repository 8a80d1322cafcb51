package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code it/service-app}, a Spring Boot 4 orders service run from its executable jar (Spring MVC on
 * embedded Tomcat, JdbcTemplate over HikariCP and H2, a {@code @Scheduled} job), under the agent
 * with no configuration, on JDK 17 and Temurin 25: each request by method, Spring MVC route and
 * status (a forward counted once, under the route of the handler it reached, as Spring's own
 * observation reports it; a path no handler matched under the servlet mapping, {@code /}; the
 * 404s and the 500s through Spring's {@code /error} once), every statement by its operation and the driver's exception, the job's runs and failures and
 * the pool's connections, as the application counted them, exactly as this test caused them; and
 * the agent's side of the requests, the statements, the job and the pool, the {@code http_server},
 * {@code jdbc}, {@code scheduled} and {@code hikaricp} presets' samples, equal to those counts (the
 * agent's endpoint, scraped before, never among the requests).
 */
class ServiceAppIT {

    private static final int JOB_RUNS = 9;

    @OnEveryJdk
    void countsWhatItDidAsCaused(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1").jar(Artifacts.serviceJar())
                .args("--server.port=0", "--server.address=127.0.0.1", "--job.runs=" + JOB_RUNS, "--job.rate-ms=50").start()) {
            app.awaitStdout("^ready$");
            int port = Integer.parseInt(app.awaitStdout("Tomcat started on port (\\d+)").group(1));
            // The agent's endpoint is served beside the application's, and never counted as its requests.
            Exposition.scrape(app.metricsPort());
            GroundTruth traffic = new GroundTruth(port)
                    .send(3, "GET", "/orders", 200, "/orders", "-")
                    .send(4, "POST", "/orders?item=pear&quantity=2", 201, "/orders", "-")
                    .send(5, "GET", "/orders/2", 200, "/orders/{id}", "-")
                    .send(2, "GET", "/orders/404", 404, "/orders/{id}", "-")
                    .send(3, "PUT", "/orders/3?quantity=7", 204, "/orders/{id}", "-")
                    .send(1, "PUT", "/orders/404?quantity=1", 404, "/orders/{id}", "-")
                    .send(1, "DELETE", "/orders/4", 204, "/orders/{id}", "-")
                    .send(2, "DELETE", "/orders/4", 404, "/orders/{id}", "-")
                    .send(2, "GET", "/orders/1/invoice", 500, "/orders/{id}/invoice", "java.lang.IllegalStateException")
                    .send(3, "GET", "/orders/1/history", 500, "/orders/{id}/history", "org.springframework.jdbc.BadSqlGrammarException")
                    .send(3, "GET", "/first-order", 200, "/orders/{id}", "-")
                    .send(1, "GET", "/nowhere", 404, "/", "-");
            app.awaitStdout("^job finished after " + JOB_RUNS + " runs$");

            List<String> truth = GroundTruth.print(app);
            assertEquals(traffic.served(), GroundTruth.of("http", truth), app::describe);
            Expected.assertSamples(Exposition.scrape(app.metricsPort()), "Spring MVC's requests on " + jdk,
                    GroundTruth.requestSamples(GroundTruth.of("http", truth)));
            assertEquals(List.of(
                    "sql CREATE - 1",
                    "sql DELETE - 3",
                    // order 1 at start, then the POSTs
                    "sql INSERT - 5",
                    // the listings, the GETs by id (the forwarded ones too) and one count per job run
                    "sql SELECT - " + (3 + 5 + 2 + 3 + JOB_RUNS),
                    "sql SELECT org.h2.jdbc.JdbcSQLSyntaxErrorException 3",
                    "sql UPDATE - 4"), GroundTruth.of("sql", truth), app::describe);
            assertEquals(List.of("job failure java.lang.IllegalStateException " + JOB_RUNS / 3, "job run " + JOB_RUNS),
                    GroundTruth.of("job", truth), app::describe);
            assertEquals(List.of("pool orders total=4 active=0 idle=4 pending=0 max=4 min=4"), GroundTruth.of("pool", truth));
            Exposition m = Exposition.scrape(app.metricsPort());
            Expected.assertSamples(m, "the job on " + jdk, """
                    # Spring's ScheduledMethodRunnable.run, as the scheduled preset meters it
                    tasks_scheduled_execution_seconds_count{code_namespace=io.metricsagent.orders.ReportJob, code_function, outcome, exception}
                    report  SUCCESS  none                   %d
                    report  ERROR    IllegalStateException  %d
                    """.formatted(JOB_RUNS - JOB_RUNS / 3, JOB_RUNS / 3));
            assertPool(m, "the pool at rest on " + jdk, "total=4 active=0 idle=4 pending=0 max=4 min=4");
            assertStatements(m, "the statements on " + jdk, GroundTruth.of("sql", truth));

            RuleSelectionIT.run(app, "hold 3");
            assertEquals(List.of("pool orders total=4 active=3 idle=1 pending=0 max=4 min=4"),
                    GroundTruth.of("pool", GroundTruth.print(app)));
            assertPool(Exposition.scrape(app.metricsPort()), "3 connections held on " + jdk,
                    "total=4 active=3 idle=1 pending=0 max=4 min=4");
            assertEquals(List.of(), PresetsIT.agentLines(app), app::describe);
        }
    }

    /**
     * The jdbc preset's executions, through JdbcTemplate and Hikari's proxies to H2, against the
     * application's {@code truth sql <operation> <error> <n>} counts: once each, the driver's
     * exception as its {@code error_type}, {@code ""} for none.
     */
    static void assertStatements(Exposition m, String caseName, List<String> sql) {
        Expected.Table table = new Expected.Table(
                "db_client_operation_duration_seconds_count{db_system_name, db_operation_name, error_type}");
        for (String count : sql) {
            String[] words = count.split(" ");
            table.row("h2database", words[1], words[2].equals("-") ? "\"\"" : words[2], words[3]);
        }
        Expected.assertSamples(m, caseName, table.toString());
    }

    /** The hikaricp preset's gauges of pool {@code orders} against the application's {@code truth pool} counts. */
    private static void assertPool(Exposition m, String caseName, String counts) {
        StringBuilder tables = new StringBuilder();
        for (String count : counts.split(" ")) {
            String key = count.substring(0, count.indexOf('='));
            String family = key.equals("total") ? "hikaricp_connections" : "hikaricp_connections_" + key;
            tables.append(new Expected.Table(family + "{pool}").row("orders", Double.parseDouble(count.substring(key.length() + 1))));
        }
        Expected.assertSamples(m, caseName, tables.toString());
    }
}
