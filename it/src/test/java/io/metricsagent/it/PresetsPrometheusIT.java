package io.metricsagent.it;

import static io.metricsagent.it.PrometheusIT.assertNear;
import static io.metricsagent.it.PrometheusIT.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.it.PrometheusServer.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus, configured as in {@link PrometheusIT} with the shipped rule files, scrapes
 * {@code it/service-app} under the agent with no configuration every second: every recording rule
 * of the {@code hikaricp} and {@code scheduled} presets' groups and every query of their dashboard
 * rows answers, with the labels of its level, and by the application's own account.
 *
 * <p>The pool's usage is a ratio of gauges: with {@value #HELD} of its 4 connections held, exactly
 * 75 %. The job fails every third run; its share of failures is what Prometheus saw of the
 * counters' increase, both series scraped together from before Prometheus starts (its first
 * failure is awaited), so that {@code rate} extrapolates both alike and their ratio is exact.
 * Against the job's own count the share is within the one run in three a window can cut.
 */
class PresetsPrometheusIT {

    private static final int JOB_RUNS = 240;
    private static final int JOB_RATE_MS = 200;
    private static final int HELD = 3;
    private static final String JOB_CLASS = "io.metricsagent.orders.ReportJob";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** One scrape, one evaluation of every rule group after it, and a margin. */
    private static final double SETTLE_SECONDS = 3.0;
    private static final List<String> FAMILIES = List.of("hikaricp_", "tasks_scheduled_");
    private static final Set<String> ROWS = Set.of("HikariCP pools", "Scheduled jobs");

    @OnEveryJdk
    void presetsRulesAndPanelsMatchWhatTheServiceDid(String jdk, Path java, @TempDir Path dir) throws Exception {
        MonitoringTools.prometheus();
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1").jar(Artifacts.serviceJar())
                .args("--server.port=0", "--server.address=127.0.0.1", "--job.runs=" + JOB_RUNS,
                        "--job.rate-ms=" + JOB_RATE_MS).start()) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            String instance = "127.0.0.1:" + port;
            RuleSelectionIT.run(app, "hold " + HELD);
            // Both outcomes' series exist before the first scrape, each with some runs behind it.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (failures(GroundTruth.of("job", GroundTruth.print(app))) < 3) {
                assertTrue(System.nanoTime() < deadline, "the job failed fewer than 3 times within " + WAIT + ": " + app.describe());
                ChildServer.pause(100);
            }
            try (PrometheusServer prometheus = PrometheusServer.start(dir,
                    PrometheusServer.exampleConfig(port, 0, Monitoring.ruleFiles()))) {
                String runs = "sum(tasks_scheduled_execution_seconds_count)";
                double firstRuns = prometheus.await(runs, s -> !s.isEmpty(), WAIT, "first scrape").get(0).value;
                assertTrue(JOB_RUNS - firstRuns >= 100, "Prometheus' first scrape came after " + firstRuns + " of the job's "
                        + JOB_RUNS + " runs, too late to see 100 of them");
                app.awaitStdout("^job finished after " + JOB_RUNS + " runs$");
                List<String> truth = GroundTruth.print(app);
                assertEquals(List.of("job failure java.lang.IllegalStateException " + JOB_RUNS / 3, "job run " + JOB_RUNS),
                        GroundTruth.of("job", truth), app::describe);
                assertEquals(List.of("pool orders total=4 active=" + HELD + " idle=" + (4 - HELD) + " pending=0 max=4 min=4"),
                        GroundTruth.of("pool", truth), app::describe);
                double scraped = prometheus.await("max(timestamp(tasks_scheduled_execution_seconds_count)) and " + runs
                        + " == " + JOB_RUNS, s -> !s.isEmpty(), WAIT, "scrape of the job's final counts").get(0).value;
                while (PrometheusServer.now() < scraped + SETTLE_SECONDS) {
                    ChildServer.pause(100);
                }
                Checks checks = new Checks(prometheus, PrometheusServer.now(), instance);
                checks.recordingRules();
                checks.dashboard();
            }
        }
    }

    private static long failures(List<String> jobTruth) {
        return jobTruth.stream().filter(line -> line.startsWith("job failure "))
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static final class Checks {
        private final PrometheusServer prometheus;
        private final double time;
        private final String instance;

        Checks(PrometheusServer prometheus, double time, String instance) {
            this.prometheus = prometheus;
            this.time = time;
            this.instance = instance;
        }

        private List<Sample> query(String expr) throws IOException {
            return prometheus.query(expr, time);
        }

        /** Every recording rule of the two groups has series, with the labels of its level; then their values. */
        void recordingRules() throws IOException {
            int checked = 0;
            for (String record : Monitoring.recordNames()) {
                if (FAMILIES.stream().noneMatch(record.split(":")[1]::startsWith)) {
                    continue;
                }
                checked++;
                List<Sample> samples = query(record);
                assertFalse(samples.isEmpty(), record + " has no series\n" + prometheus.log());
                for (Sample sample : samples) {
                    assertEquals(PrometheusServer.JOB, sample.label("job"), record + ": " + samples);
                    assertEquals(record.startsWith("instance") ? instance : null, sample.label("instance"), record + ": " + samples);
                    if (record.contains("_pool:")) {
                        assertEquals("orders", sample.label("pool"), record + ": " + samples);
                    } else {
                        assertEquals(JOB_CLASS, sample.label("code_namespace"), record + ": " + samples);
                        assertEquals("report", sample.label("code_function"), record + ": " + samples);
                    }
                }
            }
            assertEquals(9, checked, "the hikaricp and scheduled groups' recording rules");
            for (String level : List.of("instance", "job")) {
                assertEquals(100.0 * HELD / 4, one(level + "_pool:hikaricp_connections_active:percent_of_max"), 1e-9,
                        level + " pool usage");
                String outcomes = level + "_code_namespace_code_function_outcome:tasks_scheduled_execution_seconds_count:rate5m";
                double errorRate = one(outcomes + "{outcome=\"ERROR\"}");
                double successRate = one(outcomes + "{outcome=\"SUCCESS\"}");
                double share = one(level + "_code_namespace_code_function:tasks_scheduled_executions_error:percent_rate5m");
                assertNear(100 * errorRate / (errorRate + successRate), 1e-9, share, level + " failed share against its rates");
                assertNear(100 * seen("ERROR") / (seen("ERROR") + seen("SUCCESS")), 1e-9, share,
                        level + " failed share against the increase Prometheus saw");
                // One run in three fails: a window of at least 100 runs holds a third of them, give or take one.
                assertNear(100.0 / 3, 1.0, share, level + " failed share against the job's own count");
            }
            double rate = one("instance_code_namespace_code_function:tasks_scheduled_execution_seconds_count:rate5m");
            double seen = seen("ERROR") + seen("SUCCESS");
            // rate() extrapolates by at most half a scrape interval and the time since the last one over 20 s of runs.
            assertWithin(seen / 300 * (1 - 1e-9), seen / 300 * 1.1, rate, "runs per second against the runs Prometheus saw");
            // Each run counts and selects in memory: well under the interval between runs.
            assertWithin(1e-6, JOB_RATE_MS / 1000.0,
                    one("instance_code_namespace_code_function:tasks_scheduled_execution_seconds:mean5m"), "mean run time");
        }

        /** How much the job's counter of {@code outcome} grew while Prometheus scraped it. */
        private double seen(String outcome) throws IOException {
            String series = "tasks_scheduled_execution_seconds_count{outcome=\"" + outcome + "\"}";
            return one(series) - one("min_over_time(" + series + "[5m])");
        }

        /** Every query of the two rows, its variables filled in, answers; with the pool's and the job's values. */
        void dashboard() throws IOException {
            Map<String, String> values = Map.of("job", PrometheusServer.JOB, "instance", instance, "pool", "orders");
            Map<String, List<Sample>> answers = new LinkedHashMap<>();
            for (Monitoring.Query query : Monitoring.panelQueries()) {
                if (!ROWS.contains(query.row)) {
                    continue;
                }
                List<Sample> samples = query(Monitoring.substitute(query.expr, values));
                answers.put(query.panel + " " + query.refId, samples);
                assertFalse(samples.isEmpty(), query + " has no result: " + query.expr + "\n" + prometheus.log());
            }
            assertEquals(10, answers.size(), "the two rows' queries: " + answers.keySet());
            Monitoring.Query pool = Monitoring.variableQueries().get("pool");
            assertEquals(Set.of("orders"), query(Monitoring.substitute(pool.expr, values)).stream()
                    .map(s -> s.label(pool.refId)).collect(Collectors.toCollection(TreeSet::new)));

            assertEquals(100.0 * HELD / 4, only(answers, "HikariCP pool usage A"), 1e-9);
            assertEquals(HELD, only(answers, "Connections A"), "active");
            assertEquals(4 - HELD, only(answers, "Connections B"), "idle");
            assertEquals(4, only(answers, "Connections C"), "total");
            assertEquals(4, only(answers, "Connections D"), "min");
            assertEquals(4, only(answers, "Connections E"), "max");
            assertEquals(0, only(answers, "Threads waiting for a connection A"), "pending");

            Map<String, Double> byOutcome = new LinkedHashMap<>();
            for (Sample sample : answers.get("Runs by task and outcome A")) {
                assertEquals(JOB_CLASS, sample.label("code_namespace"), sample.toString());
                assertEquals("report", sample.label("code_function"), sample.toString());
                byOutcome.put(sample.label("outcome"), sample.value);
            }
            assertEquals(Set.of("SUCCESS", "ERROR"), byOutcome.keySet());
            String rule = "instance_code_namespace_code_function_outcome:tasks_scheduled_execution_seconds_count:rate5m";
            assertEquals(one(rule + "{outcome=\"ERROR\"}"), byOutcome.get("ERROR"), 1e-12);
            assertEquals(one(rule + "{outcome=\"SUCCESS\"}"), byOutcome.get("SUCCESS"), 1e-12);
            assertEquals(one("instance_code_namespace_code_function:tasks_scheduled_executions_error:percent_rate5m"),
                    only(answers, "Failed share by task A"), 1e-9);
            assertEquals(one("instance_code_namespace_code_function:tasks_scheduled_execution_seconds:mean5m"),
                    only(answers, "Mean run time by task A"), 1e-12);
        }

        private double one(String expr) throws IOException {
            List<Sample> samples = query(expr);
            assertEquals(1, samples.size(), expr + ": " + samples);
            return samples.get(0).value;
        }

        private static double only(Map<String, List<Sample>> answers, String panelAndRef) {
            List<Sample> samples = answers.get(panelAndRef);
            assertNotNull(samples, panelAndRef + " is not on the dashboard: " + answers.keySet());
            assertEquals(1, samples.size(), panelAndRef + ": " + samples);
            return samples.get(0).value;
        }
    }
}
