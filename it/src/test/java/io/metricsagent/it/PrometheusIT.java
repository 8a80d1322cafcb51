package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metricsagent.it.PrometheusServer.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus, configured from the example {@code monitoring/prometheus.yml} with the
 * shipped rule files, scrapes the sample under the agent every second; every recording rule and
 * every dashboard query (its variables filled in) is asked of its HTTP API and checked against
 * what the sample reports having done.
 *
 * <p>The sample makes {@value #FIRST_ROUND} payments before Prometheus starts, the five
 * scenarios in turn, so that every series exists at the first scrape with the scenarios in their
 * proportions (Prometheus cannot see the increase a series was born with); then {@value #PAYMENTS}
 * more while it is scraped. Each 5-minute rate is then the rate of that second round, extrapolated
 * alike for series that grew alike: the share above 1000 USD and the amount buckets come out
 * exact (one scenario in five is above 1000 USD), while rates summed over series that grew
 * unevenly (successes and failures, errors by severity) are near what the sample counted. One
 * thread and a fixed seed make the sample's outcomes the same at every run.
 */
class PrometheusIT {

    static final int FIRST_ROUND = 50;
    static final int PAYMENTS = 400;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** One scrape, one evaluation of every rule group after it, and a margin. */
    private static final double SETTLE_SECONDS = 3.0;
    private static final Pattern SUMMARY = Pattern.compile(
            "^summary requests=(\\d+) succeeded=(\\d+) failed=\\d+ gateway_timeouts=(\\d+) validation_errors=(\\d+)"
                    + " pool_active=(\\d+)$");
    private static final Pattern SCENARIO = Pattern.compile("^scenario (order_\\d) requests=(\\d+) failed=(\\d+)$");
    private static final String POOL_SIZE = "20";
    /**
     * The presets' families and dashboard rows, which the sample (using none of their libraries)
     * does not have: {@link PresetsPrometheusIT} checks them on {@code it/service-app}.
     */
    private static final List<String> PRESET_FAMILIES = List.of("http_server_", "db_client_", "hikaricp_", "tasks_scheduled_");
    private static final Set<String> PRESET_ROWS = Set.of("HTTP server", "Database", "HikariCP pools", "Scheduled jobs");

    @OnEveryJdk
    void recordingRulesAndDashboardQueriesMatchWhatTheSampleDid(String jdk, Path java, @TempDir Path dir) throws Exception {
        MonitoringTools.prometheus();
        Path sampleConfig = Monitoring.dir().resolveSibling("sample-app/metrics-agent.yml");
        try (JvmProcess app = AgentJvm.on(java)
                .agent("port=0", "host=127.0.0.1", "interval=1", "config=" + sampleConfig, "watch_config=true")
                .jar(Artifacts.sampleJar())
                .args("--stdin", "--threads", "1", "--speed", "0.1", "--seed", "42").start()) {
            int port = app.metricsPort();
            String instance = "127.0.0.1:" + port;
            app.send(String.valueOf(FIRST_ROUND));
            Round first = awaitRound(app, 1);
            assertTrue(first.gatewayTimeouts > 0 && first.validationErrors > 0,
                    "the seed no longer fails both ways in the first round, so some errors_total series would be born"
                            + " while scraped: " + app.describe());
            try (PrometheusServer prometheus = PrometheusServer.start(dir,
                    PrometheusServer.exampleConfig(port, 0, Monitoring.ruleFiles()))) {
                prometheus.await("payment_requests_total", s -> !s.isEmpty(), WAIT, "first scrape");
                app.send(String.valueOf(PAYMENTS));
                Round round = awaitRound(app, 2);
                assertEquals(PAYMENTS, round.requests, app::describe);
                double scraped = prometheus.await("max(timestamp(payment_requests_total)) and sum(payment_requests_total) == "
                        + (FIRST_ROUND + PAYMENTS), s -> !s.isEmpty(), WAIT, "scrape of the final counts").get(0).value;
                while (PrometheusServer.now() < scraped + SETTLE_SECONDS) {
                    ChildServer.pause(100);
                }
                Checks checks = new Checks(prometheus, PrometheusServer.now(), instance, round);
                checks.recordingRules();
                checks.dashboard();
            }
        }
    }

    /** What one round of payments did, from the sample's summary lines. */
    static final class Round {
        final long requests;
        final long succeeded;
        final long gatewayTimeouts;
        final long validationErrors;
        final long poolActive;
        final Map<String, Long> failedByScenario = new HashMap<>();

        Round(Matcher summary, List<Matcher> scenarios) {
            requests = Long.parseLong(summary.group(1));
            succeeded = Long.parseLong(summary.group(2));
            gatewayTimeouts = Long.parseLong(summary.group(3));
            validationErrors = Long.parseLong(summary.group(4));
            poolActive = Long.parseLong(summary.group(5));
            for (Matcher scenario : scenarios) {
                failedByScenario.put(scenario.group(1), Long.parseLong(scenario.group(3)));
            }
        }

        double successPercent() {
            return 100.0 * succeeded / requests;
        }

        /** Failures of order_3, the one scenario above 1000 USD: high severity. */
        double highSeverityShareOfFailures() {
            long failed = failedByScenario.values().stream().mapToLong(Long::longValue).sum();
            return (double) failedByScenario.get("order_3") / failed;
        }
    }

    /** The {@code n}th round's summary and its five scenario lines, once printed. */
    static Round awaitRound(JvmProcess app, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = app.stdout();
            int summaries = 0;
            for (int i = 0; i < lines.size(); i++) {
                Matcher summary = SUMMARY.matcher(lines.get(i));
                if (summary.matches() && ++summaries == n && lines.size() >= i + 6) {
                    List<Matcher> scenarios = new ArrayList<>();
                    for (String line : lines.subList(i + 1, i + 6)) {
                        Matcher scenario = SCENARIO.matcher(line);
                        assertTrue(scenario.matches(), line);
                        scenarios.add(scenario);
                    }
                    return new Round(summary, scenarios);
                }
            }
            ChildServer.pause(50);
        }
        return fail("no summary of round " + n + " within " + WAIT + ": " + app.describe());
    }

    private static final class Checks {
        private final PrometheusServer prometheus;
        private final double time;
        private final String instance;
        private final Round round;

        Checks(PrometheusServer prometheus, double time, String instance, Round round) {
            this.prometheus = prometheus;
            this.time = time;
            this.instance = instance;
            this.round = round;
        }

        private List<Sample> query(String expr) throws IOException {
            return prometheus.query(expr, time);
        }

        /** Every recording rule has series, with the labels of its level; then each panel's rule, by value. */
        void recordingRules() throws IOException {
            for (String record : Monitoring.recordNames()) {
                if (PRESET_FAMILIES.stream().anyMatch(record.split(":")[1]::startsWith)) {
                    continue;
                }
                List<Sample> samples = query(record);
                assertFalse(samples.isEmpty(), record + " has no series\n" + prometheus.log());
                for (Sample sample : samples) {
                    assertEquals(PrometheusServer.JOB, sample.label("job"), record + ": " + samples);
                    assertEquals(record.startsWith("instance") ? instance : null, sample.label("instance"), record + ": " + samples);
                }
            }
            for (String level : List.of("instance", "job")) {
                assertNear(round.successPercent(), 0.5, one(level + ":payment_requests_success:percent_rate5m"),
                        level + " success rate");
                assertNear(20, 1e-9, one(level + ":payment_amount_usd_over_1000:percent_rate5m"), level + " share above 1000 USD");
                double pool = one(level + "_database_pool:database_connections_active:percent_of_max");
                assertEquals(100.0 * round.poolActive / Integer.parseInt(POOL_SIZE), pool, 1e-9, level + " pool usage");
                assertWithin(0, 100, one(level + ":cpu_usage_percent:avg"), level + " CPU");
                assertWithin(0, 100, one(level + ":memory_usage_bytes:used_percent"), level + " memory");
                double failed = one(level + "_status:payment_requests:rate5m{status=\"failed\"}");
                double succeeded = one(level + "_status:payment_requests:rate5m{status=\"success\"}");
                assertNear(round.successPercent(), 0.5, 100 * succeeded / (succeeded + failed), level + " throughput by status");
                double high = sum(level + "_service_severity:errors:rate5m{severity=\"high\"}");
                double all = sum(level + "_service_severity:errors:rate5m");
                assertNear(round.highSeverityShareOfFailures(), 0.05, high / all, level + " high-severity share of errors");
                assertNear(all, 1e-12, sum("instance_service_severity_error_type:errors:rate5m"), level + " errors by type");
                String latency = level + "_gateway:payment_duration_seconds";
                // 0.1 × (0.1 × 0.8 … 0.1 × 1.5 + 0 … 0.3 s): between 8 and 45 ms a payment, plus overhead.
                assertWithin(0.008, 1, one(latency + ":mean5m{gateway=\"stripe\"}"), level + " mean latency");
                double p50 = one(latency + ":p50_rate5m{gateway=\"stripe\"}");
                double p95 = one(latency + ":p95_rate5m{gateway=\"stripe\"}");
                double p99 = one(latency + ":p99_rate5m{gateway=\"stripe\"}");
                assertTrue(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= 10, level + " percentiles " + p50 + " " + p95 + " " + p99);
            }
        }

        /** Every dashboard query, its variables filled in, answers; those the SPEC's panels compute, with the right values. */
        void dashboard() throws IOException {
            Map<String, String> values = Map.of("job", PrometheusServer.JOB, "instance", instance, "gateway", "stripe",
                    "user_tier", ".*", "__rate_interval", "1m");
            Map<String, List<Sample>> answers = new LinkedHashMap<>();
            for (Monitoring.Query query : Monitoring.panelQueries()) {
                if (PRESET_ROWS.contains(query.row)) {
                    continue;
                }
                List<Sample> samples = query(Monitoring.substitute(query.expr, values));
                answers.put(query.panel + " " + query.refId, samples);
                assertFalse(samples.isEmpty(), query + " has no result: " + query.expr + "\n" + prometheus.log());
            }
            Map<String, Monitoring.Query> variables = Monitoring.variableQueries();
            assertEquals(Set.of(PrometheusServer.JOB), labelValues(variables.get("job"), values));
            assertEquals(Set.of(instance), labelValues(variables.get("instance"), values));
            assertEquals(Set.of("stripe"), labelValues(variables.get("gateway"), values));
            assertEquals(Set.of("basic", "premium", "standard"), labelValues(variables.get("user_tier"), values));

            assertNear(round.successPercent(), 0.5, only(answers, "Payment success rate A"), "success rate panel");
            assertNear(20, 1e-9, only(answers, "High-value share (above 1000 USD) A"), "high-value share panel");
            assertNear(round.successPercent(), 0.5, only(answers, "Success rate by instance A"), "success rate by instance");
            // Cumulative buckets over the +Inf one: the share of the scenarios at or under each bound.
            Map<String, Double> buckets = new HashMap<>();
            for (Sample bucket : answers.get("Amount distribution A")) {
                buckets.put(bucket.label("le").replace(".0", ""), bucket.value);
            }
            Map<String, Double> shares = Map.of("1", 0.0, "10", 0.0, "50", 0.4, "100", 0.4, "500", 0.8, "1000", 0.8, "5000", 1.0);
            shares.forEach((le, share) -> assertNear(share, 1e-9, buckets.get(le) / buckets.get("+Inf"), "bucket le=" + le));
            for (String panel : List.of("CPU per core A", "CPU average A", "Memory used A")) {
                for (Sample sample : answers.get(panel)) {
                    assertWithin(0, 100, sample.value, panel + " " + sample);
                }
            }
            assertEquals(100.0 * round.poolActive / Integer.parseInt(POOL_SIZE), only(answers, "Pool usage A"), 1e-9);
            assertEquals(round.poolActive, only(answers, "Active connections and maximum A"));
            assertEquals(Double.parseDouble(POOL_SIZE), only(answers, "Active connections and maximum B"));
            double status = 0;
            for (Sample sample : answers.get("Throughput by status A")) {
                status += sample.value;
            }
            double success = answers.get("Throughput by status A").stream()
                    .filter(s -> "success".equals(s.label("status"))).mapToDouble(s -> s.value).sum();
            assertNear(round.successPercent(), 0.5, 100 * success / status, "throughput by status");
            double errors = answers.get("Error rate by severity and type A").stream().mapToDouble(s -> s.value).sum();
            assertNear(sum("instance_service_severity:errors:rate5m"), 1e-12, errors, "error rate panel");
            assertEquals(1.0, only(answers, "Scrape target A"));
            assertEquals(System.getProperty("project.version"), answers.get("Agent version A").get(0).label("version"));
            assertEquals(0.0, only(answers, "Transformation errors A"));
            assertEquals(0.0, only(answers, "Calls into overflow series A"), "no metric overflows");
            for (Sample sample : answers.get("Internal errors A")) {
                assertEquals(0.0, sample.value, "Internal errors " + sample);
            }
        }

        private Set<String> labelValues(Monitoring.Query variable, Map<String, String> values) throws IOException {
            return query(Monitoring.substitute(variable.expr, values)).stream()
                    .map(s -> s.label(variable.refId))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        private double one(String expr) throws IOException {
            List<Sample> samples = query(expr);
            assertEquals(1, samples.size(), expr + ": " + samples);
            return samples.get(0).value;
        }

        private double sum(String expr) throws IOException {
            return query(expr).stream().mapToDouble(s -> s.value).sum();
        }

        private static double only(Map<String, List<Sample>> answers, String panelAndRef) {
            List<Sample> samples = answers.get(panelAndRef);
            assertTrue(samples != null && samples.size() == 1, panelAndRef + ": " + samples);
            return samples.get(0).value;
        }
    }

    static void assertNear(double expected, double tolerance, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": " + actual + ", expected " + expected + " ± " + tolerance);
    }

    static void assertWithin(double low, double high, double actual, String what) {
        assertTrue(actual >= low && actual <= high, what + ": " + actual + " is not within " + low + " … " + high);
    }
}
