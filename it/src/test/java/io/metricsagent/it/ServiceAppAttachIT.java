package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code it/service-app} started without the agent, which is attached once it is up, with no
 * configuration: the presets of the libraries it has loaded go in force and weave the classes
 * loaded before; what the application did after the attach is counted exactly (the job's runs,
 * its requests by the {@code http_server} preset through the filters and servlets woven by
 * retransformation, and the statements executed), and the pool made at its start is read,
 * learned from its first borrowed connection after the attach.
 */
class ServiceAppAttachIT {

    private static final int JOB_RUNS = 6;
    /** Long enough for the attach to be over before the job's first run. */
    private static final int JOB_DELAY_MS = 12000;

    @OnEveryJdk
    void countsWhatItDidAfterTheAttach(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).flags("-XX:+EnableDynamicAgentLoading").jar(Artifacts.serviceJar())
                .args("--server.port=0", "--server.address=127.0.0.1", "--job.runs=" + JOB_RUNS, "--job.rate-ms=50",
                        "--job.initial-delay-ms=" + JOB_DELAY_MS).start()) {
            app.awaitStdout("^ready$");
            int port = Integer.parseInt(app.awaitStdout("Tomcat started on port (\\d+)").group(1));
            // Connections borrowed before the attach, the pool's classes loaded and used unwoven.
            new GroundTruth(port).send(2, "GET", "/orders", 200, "/orders", "-");

            Command attach = Command.run(java, "attach", String.valueOf(app.pid()), "port=0,host=127.0.0.1");
            assertEquals(0, attach.exit, attach::describe);
            Matcher attached = Pattern.compile("metrics-agent \\S+ attached to \\d+: (\\d+) loaded classes woven;.*")
                    .matcher(String.join("\n", attach.stdout));
            assertTrue(attached.matches(), attach::describe);
            List<String> before = GroundTruth.print(app);
            assertEquals(List.of(), GroundTruth.of("job", before), "the job ran before the attach was over: " + app.describe());

            new GroundTruth(port)
                    .send(3, "GET", "/orders", 200, "/orders", "-")
                    .send(2, "POST", "/orders?item=fig&quantity=1", 201, "/orders", "-")
                    .send(4, "GET", "/orders/1", 200, "/orders/{id}", "-")
                    .send(1, "GET", "/orders/1/history", 500, "/orders/{id}/history", "org.springframework.jdbc.BadSqlGrammarException");
            app.awaitStdout("^job finished after " + JOB_RUNS + " runs$");
            RuleSelectionIT.run(app, "hold 2");
            List<String> after = GroundTruth.print(app);
            assertEquals(List.of("job failure java.lang.IllegalStateException " + JOB_RUNS / 3, "job run " + JOB_RUNS),
                    GroundTruth.since(GroundTruth.of("job", before), GroundTruth.of("job", after)), app::describe);
            assertEquals(List.of("pool orders total=4 active=2 idle=2 pending=0 max=4 min=4"), GroundTruth.of("pool", after));

            Exposition m = Exposition.scrape(app.metricsPort());
            Expected.assertSamples(m, "the job after the attach on " + jdk, """
                    tasks_scheduled_execution_seconds_count{code_namespace=io.metricsagent.orders.ReportJob, code_function, outcome, exception}
                    report  SUCCESS  none                   %d
                    report  ERROR    IllegalStateException  %d
                    """.formatted(JOB_RUNS - JOB_RUNS / 3, JOB_RUNS / 3));
            Expected.assertSamples(m, "the pool made before the attach on " + jdk, """
                    hikaricp_connections{pool}
                    orders  4

                    hikaricp_connections_active{pool}
                    orders  2

                    hikaricp_connections_idle{pool}
                    orders  2

                    hikaricp_connections_max{pool}
                    orders  4
                    """);
            Expected.assertSamples(m, "the requests after the attach on " + jdk, GroundTruth.requestSamples(
                    GroundTruth.since(GroundTruth.of("http", before), GroundTruth.of("http", after))));
            // Each statement once, through Hikari's proxies and H2's classes, all loaded before the attach.
            ServiceAppIT.assertStatements(m, "the statements after the attach on " + jdk,
                    GroundTruth.since(GroundTruth.of("sql", before), GroundTruth.of("sql", after)));
            assertEquals(0, m.counter("metrics_agent_transformation_errors_total"));
            assertEquals(List.of(), PresetsIT.agentLines(app), app::describe);
        }
    }
}
