package io.metricsagent.it;

import static io.metricsagent.it.PrometheusIT.assertNear;
import static io.metricsagent.it.PrometheusIT.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.it.PrometheusServer.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus, configured as in {@link PrometheusIT} with the shipped rule files, scrapes
 * {@code it/service-app} under the agent with no configuration every second: every recording rule
 * of the {@code http_server}, {@code jdbc}, {@code hikaricp} and {@code scheduled} presets' groups
 * and every query of their dashboard rows answers, with the labels of its level, and by the
 * application's own account.
 *
 * <p>The pool's usage is a ratio of gauges: with {@value #HELD} of its 4 connections held, exactly
 * 75 %. The job fails every third run; its share of failures is what Prometheus saw of the
 * counters' increase, both series scraped together from before Prometheus starts (its first
 * failure is awaited), so that {@code rate} extrapolates both alike and their ratio is exact.
 * Against the job's own count the share is within the one run in three a window can cut.
 *
 * <p>Requests come in rounds of the {@link #MIX}, one request of each (so one more in each of its
 * series, and in each of its statements' series), {@value #SEED_ROUNDS} rounds before Prometheus
 * starts and {@value #ROUNDS} every {@value #ROUND_MS} ms while it scrapes: every series exists
 * at the first scrape with enough behind it that {@code rate} extrapolates all of them alike, so
 * that shares and splits are exactly those of the increase Prometheus saw; that increase is the
 * same in every request series give or take the one round a scrape can cut, and the final counts
 * are the application's own.
 */
class PresetsPrometheusIT {

    private static final int JOB_RUNS = 240;
    private static final int JOB_RATE_MS = 200;
    private static final int HELD = 3;
    private static final String JOB_CLASS = "io.metricsagent.orders.ReportJob";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** One scrape, one evaluation of every rule group after it, and a margin. */
    private static final double SETTLE_SECONDS = 3.0;
    private static final List<String> FAMILIES = List.of("http_server_", "db_client_", "hikaricp_", "tasks_scheduled_");
    private static final Set<String> ROWS = Set.of("HTTP server", "Database", "HikariCP pools", "Scheduled jobs");
    /** The labels a recording rule's level may name after {@code instance} or {@code job}. */
    private static final List<String> LEVEL_LABELS = List.of("pool", "code_namespace", "code_function", "outcome",
            "http_route", "http_response_status_code", "db_system_name", "db_operation_name");

    private static final int SEED_ROUNDS = 10;
    private static final int ROUNDS = 100;
    private static final int ROUND_MS = 300;
    /** One round of requests: each a series of its own, two of eight answered 5xx. */
    private static final List<Request> MIX = List.of(
            new Request("GET", "/orders", 200, "/orders", "-"),
            new Request("POST", "/orders?item=pear&quantity=1", 201, "/orders", "-"),
            new Request("GET", "/orders/1", 200, "/orders/{id}", "-"),
            new Request("PUT", "/orders/1?quantity=2", 204, "/orders/{id}", "-"),
            new Request("GET", "/orders/0", 404, "/orders/{id}", "-"),
            new Request("DELETE", "/orders/0", 404, "/orders/{id}", "-"),
            new Request("GET", "/orders/1/invoice", 500, "/orders/{id}/invoice", "java.lang.IllegalStateException"),
            new Request("GET", "/orders/1/history", 500, "/orders/{id}/history", "org.springframework.jdbc.BadSqlGrammarException"));
    private static final double MIX_5XX_PERCENT = 100.0 * 2 / 8;
    private static final Set<String> ROUTES = Set.of("/orders", "/orders/{id}", "/orders/{id}/invoice", "/orders/{id}/history");
    /** The operations the application runs: its schema once at start, the rest per round and per job run. */
    private static final Set<String> OPERATIONS = Set.of("CREATE", "SELECT", "INSERT", "UPDATE", "DELETE");

    private record Request(String method, String path, int status, String route, String error) {}

    @OnEveryJdk
    void presetsRulesAndPanelsMatchWhatTheServiceDid(String jdk, Path java, @TempDir Path dir) throws Exception {
        MonitoringTools.prometheus();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1").jar(Artifacts.serviceJar())
                .args("--server.port=0", "--server.address=127.0.0.1", "--job.runs=" + JOB_RUNS,
                        "--job.rate-ms=" + JOB_RATE_MS).start()) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            String instance = "127.0.0.1:" + port;
            GroundTruth traffic = new GroundTruth(Integer.parseInt(app.awaitStdout("Tomcat started on port (\\d+)").group(1)));
            for (int round = 0; round < SEED_ROUNDS; round++) {
                sendRound(traffic);
            }
            RuleSelectionIT.run(app, "hold " + HELD);
            // Both outcomes' series exist before the first scrape, each with some runs behind it.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (total(GroundTruth.of("job failure", GroundTruth.print(app))) < 3) {
                assertTrue(System.nanoTime() < deadline, "the job failed fewer than 3 times within " + WAIT + ": " + app.describe());
                ChildServer.pause(100);
            }
            try (PrometheusServer prometheus = PrometheusServer.start(dir,
                    PrometheusServer.exampleConfig(port, 0, Monitoring.ruleFiles()))) {
                String runs = "sum(tasks_scheduled_execution_seconds_count)";
                double firstRuns = prometheus.await(runs, s -> !s.isEmpty(), WAIT, "first scrape").get(0).value;
                assertTrue(JOB_RUNS - firstRuns >= 100, "Prometheus' first scrape came after " + firstRuns + " of the job's "
                        + JOB_RUNS + " runs, too late to see 100 of them");
                Future<?> rounds = sender.submit(() -> {
                    long start = System.nanoTime();
                    for (int round = 0; round < ROUNDS; round++) {
                        ChildServer.pause(Math.max(0, round * ROUND_MS - (System.nanoTime() - start) / 1_000_000));
                        sendRound(traffic);
                    }
                    return null;
                });
                rounds.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                app.awaitStdout("^job finished after " + JOB_RUNS + " runs$");
                List<String> truth = GroundTruth.print(app);
                assertEquals(List.of("job failure java.lang.IllegalStateException " + JOB_RUNS / 3, "job run " + JOB_RUNS),
                        GroundTruth.of("job", truth), app::describe);
                assertEquals(List.of("pool orders total=4 active=" + HELD + " idle=" + (4 - HELD) + " pending=0 max=4 min=4"),
                        GroundTruth.of("pool", truth), app::describe);
                assertEquals(traffic.served(), GroundTruth.of("http", truth), app::describe);
                double scraped = prometheus.await("max(timestamp(tasks_scheduled_execution_seconds_count)) and on () " + runs
                        + " == " + JOB_RUNS + " and on () sum(http_server_request_duration_seconds_count) == "
                        + total(GroundTruth.of("http", truth)) + " and on () sum(db_client_operation_duration_seconds_count) == "
                        + total(GroundTruth.of("sql", truth)), s -> !s.isEmpty(), WAIT, "scrape of the final counts").get(0).value;
                while (PrometheusServer.now() < scraped + SETTLE_SECONDS) {
                    ChildServer.pause(100);
                }
                Checks checks = new Checks(prometheus, PrometheusServer.now(), instance);
                checks.finalCounts(truth);
                checks.recordingRules();
                checks.httpServerRules();
                checks.jdbcRules();
                checks.dashboard();
                checks.errorRateAlertPending();
            }
        } finally {
            sender.shutdownNow();
        }
    }

    private static void sendRound(GroundTruth traffic) throws Exception {
        for (Request request : MIX) {
            traffic.send(1, request.method, request.path, request.status, request.route, request.error);
        }
    }

    /** The sum of the counts (each line's last word) of {@code truth} lines. */
    private static long total(List<String> lines) {
        return lines.stream().mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
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

        /** The last samples Prometheus scraped of the requests and the statements are the application's counts. */
        void finalCounts(List<String> truth) throws IOException {
            Map<String, Double> requests = new TreeMap<>();
            for (String line : GroundTruth.of("http", truth)) {
                String[] words = line.split(" ");
                requests.put(String.join("|", words[1], words[2], words[3], words[4].equals("-") ? "" : words[4]),
                        Double.parseDouble(words[5]));
            }
            // A failing combination's series without error_type, which the agent creates at 0 beside its exception's, counts none.
            assertEquals(requests, values("http_server_request_duration_seconds_count != 0",
                    "http_request_method", "http_route", "http_response_status_code", "error_type"));
            Map<String, Double> statements = new TreeMap<>();
            for (String line : GroundTruth.of("sql", truth)) {
                String[] words = line.split(" ");
                statements.put(String.join("|", "h2database", words[1], words[2].equals("-") ? "" : words[2]),
                        Double.parseDouble(words[3]));
            }
            assertEquals(statements, values("db_client_operation_duration_seconds_count",
                    "db_system_name", "db_operation_name", "error_type"));
        }

        /**
         * Every recording rule of the presets' groups has series, with the labels of its level and
         * values the service has; then the hikaricp and scheduled groups' values.
         */
        void recordingRules() throws IOException {
            Map<String, Set<String>> known = Map.of("pool", Set.of("orders"), "code_namespace", Set.of(JOB_CLASS),
                    "code_function", Set.of("report"), "outcome", Set.of("SUCCESS", "ERROR"), "http_route", ROUTES,
                    "http_response_status_code", Set.of("200", "201", "204", "404", "500"),
                    "db_system_name", Set.of("h2database"), "db_operation_name", OPERATIONS);
            int checked = 0;
            for (String record : Monitoring.recordNames()) {
                if (FAMILIES.stream().noneMatch(record.split(":")[1]::startsWith)) {
                    continue;
                }
                checked++;
                List<Sample> samples = query(record);
                assertFalse(samples.isEmpty(), record + " has no series\n" + prometheus.log());
                Set<String> names = levelLabels(record);
                for (Sample sample : samples) {
                    Set<String> labels = new TreeSet<>(sample.labels.keySet());
                    labels.remove("__name__");
                    assertEquals(names, labels, record + ": " + sample);
                    assertEquals(PrometheusServer.JOB, sample.label("job"), record + ": " + sample);
                    assertEquals(names.contains("instance") ? instance : null, sample.label("instance"), record + ": " + sample);
                    known.forEach((label, values) -> assertTrue(sample.label(label) == null || values.contains(sample.label(label)),
                            record + ": " + sample));
                }
            }
            assertEquals(26, checked, "the presets' groups' recording rules");
            Map<String, Double> jobSeen = seen("tasks_scheduled_execution_seconds_count", "outcome");
            for (String level : List.of("instance", "job")) {
                assertEquals(100.0 * HELD / 4, one(level + "_pool:hikaricp_connections_active:percent_of_max"), 1e-9,
                        level + " pool usage");
                String outcomes = level + "_code_namespace_code_function_outcome:tasks_scheduled_execution_seconds_count:rate5m";
                double errorRate = one(outcomes + "{outcome=\"ERROR\"}");
                double successRate = one(outcomes + "{outcome=\"SUCCESS\"}");
                double share = one(level + "_code_namespace_code_function:tasks_scheduled_executions_error:percent_rate5m");
                assertNear(100 * errorRate / (errorRate + successRate), 1e-9, share, level + " failed share against its rates");
                assertNear(100 * jobSeen.get("ERROR") / (jobSeen.get("ERROR") + jobSeen.get("SUCCESS")), 1e-9, share,
                        level + " failed share against the increase Prometheus saw");
                // One run in three fails: a window of at least 100 runs holds a third of them, give or take one.
                assertNear(100.0 / 3, 1.0, share, level + " failed share against the job's own count");
            }
            double rate = one("instance_code_namespace_code_function:tasks_scheduled_execution_seconds_count:rate5m");
            assertRateOf(jobSeen.get("ERROR") + jobSeen.get("SUCCESS"), rate, "runs per second against the runs Prometheus saw");
            // Each run counts and selects in memory: well under the interval between runs.
            assertWithin(1e-6, JOB_RATE_MS / 1000.0,
                    one("instance_code_namespace_code_function:tasks_scheduled_execution_seconds:mean5m"), "mean run time");
        }

        /**
         * The http_server group's rates, splits and 5xx shares against the increase Prometheus saw
         * of each series, and against the mix.
         */
        void httpServerRules() throws IOException {
            String count = "http_server_request_duration_seconds_count";
            Map<String, Double> seen = seen(count, "http_request_method", "http_route", "http_response_status_code", "error_type");
            seen.values().removeIf(increase -> increase == 0);
            assertEquals(MIX.size(), seen.size(), "the mix's request series: " + seen);
            double least = Collections.min(seen.values());
            // A scrape in the middle of a round has seen some of its requests and not the others.
            assertWithin(least, least + 1, Collections.max(seen.values()), "each request series' increase, one a round: " + seen);
            assertTrue(least >= ROUNDS / 2.0, "Prometheus saw only " + least + " of the " + ROUNDS + " rounds: " + seen);
            Map<String, Double> byRouteAndStatus = seen(count, "http_route", "http_response_status_code");
            Map<String, Double> byRoute = seen(count, "http_route");
            double all = sum(byRoute);
            double failed = sum(seen(count + "{http_response_status_code=~\"5..\"}", "http_route"));

            Map<String, Double> routeRates = values("instance_http_route:" + count + ":rate5m", "http_route");
            assertEquals(ROUTES, routeRates.keySet());
            for (String route : ROUTES) {
                assertNear(byRoute.get(route) / all, 1e-9, routeRates.get(route) / sum(routeRates), route + "'s share of the requests");
                assertRateOf(byRoute.get(route), routeRates.get(route), route + "'s requests per second against those Prometheus saw");
                assertNear(route.endsWith("/invoice") || route.endsWith("/history") ? 100 : 0, 1e-9,
                        one("instance_http_route:http_server_requests_5xx:percent_rate5m{http_route=\"" + route + "\"}"),
                        route + "'s 5xx share");
                assertNear(routeRates.get(route), 1e-9 * routeRates.get(route), one("instance_http_route:"
                        + "http_server_request_duration_seconds_bucket:rate5m{le=\"+Inf\", http_route=\"" + route + "\"}"),
                        route + "'s +Inf bucket against its requests");
            }
            for (String level : List.of("instance", "job")) {
                Map<String, Double> rates = values(level + "_http_route_http_response_status_code:" + count + ":rate5m",
                        "http_route", "http_response_status_code");
                assertEquals(byRouteAndStatus.keySet(), rates.keySet(), level + " requests by route and status");
                rates.forEach((key, rate) -> assertNear(byRouteAndStatus.get(key) / all, 1e-9, rate / sum(rates),
                        level + " share of " + key));
                double share = one(level + ":http_server_requests_5xx:percent_rate5m");
                assertNear(100 * failed / all, 1e-9, share, level + " 5xx share against the increase Prometheus saw");
                // Each series' increase is the same give or take one request: the share, the mix's give or take 100 / least.
                assertNear(MIX_5XX_PERCENT, 100 / least, share, level + " 5xx share against the mix");
                Map<String, Double> p95 = values(level + "_http_route:http_server_request_duration_seconds:p95_rate5m", "http_route");
                assertEquals(ROUTES, p95.keySet(), level + " p95 by route");
                // Requests to an in-memory database on this machine: within the buckets, not in the +Inf one.
                p95.forEach((route, seconds) -> assertWithin(1e-9, 10, seconds, level + " p95 of " + route));
            }
        }

        /** The jdbc group's rates, failed shares and latencies against the increase Prometheus saw of each statement series. */
        void jdbcRules() throws IOException {
            String count = "db_client_operation_duration_seconds_count";
            Map<String, Double> seen = seen(count, "db_operation_name", "error_type");
            // One of each a round, as the requests that run them; the job's SELECTs besides.
            List<Double> perRound = List.of(seen.get("INSERT|"), seen.get("UPDATE|"), seen.get("DELETE|"),
                    seen.get("SELECT|org.h2.jdbc.JdbcSQLSyntaxErrorException"));
            assertWithin(Collections.min(perRound), Collections.min(perRound) + 1, Collections.max(perRound),
                    "each statement series' increase, one a round: " + seen);
            assertEquals(0.0, (double) seen.get("CREATE|"), "the schema, created before the first scrape");
            Map<String, Double> byOperation = seen(count, "db_operation_name");
            double all = sum(byOperation);
            for (String level : List.of("instance", "job")) {
                Map<String, Double> rates = values(level + "_db_system_name_db_operation_name:" + count + ":rate5m", "db_operation_name");
                assertEquals(OPERATIONS, rates.keySet(), level + " operations");
                assertEquals(0.0, (double) rates.get("CREATE"), level + " CREATE rate");
                rates.forEach((operation, rate) -> assertNear(byOperation.get(operation) / all, 1e-9, rate / sum(rates),
                        level + " share of " + operation));
                Map<String, Double> p95 = values(level + "_db_system_name_db_operation_name:"
                        + "db_client_operation_duration_seconds:p95_rate5m", "db_operation_name");
                assertEquals(OPERATIONS, p95.keySet(), level + " p95 by operation");
                p95.forEach((operation, seconds) -> {
                    if (operation.equals("CREATE")) {
                        assertTrue(Double.isNaN(seconds), level + " p95 of CREATE, which did not run in the window: " + seconds);
                    } else {
                        assertWithin(1e-9, 10, seconds, level + " p95 of " + operation);
                    }
                });
            }
            assertRateOf(byOperation.get("SELECT"), one("instance_db_system_name_db_operation_name:" + count
                    + ":rate5m{db_operation_name=\"SELECT\"}"), "SELECTs per second against those Prometheus saw");
            Map<String, Double> failedShares = values(
                    "instance_db_system_name_db_operation_name:db_client_operations_failed:percent_rate5m", "db_operation_name");
            assertEquals(OPERATIONS, failedShares.keySet());
            assertNear(100 * seen.get("SELECT|org.h2.jdbc.JdbcSQLSyntaxErrorException") / byOperation.get("SELECT"), 1e-9,
                    failedShares.get("SELECT"), "failed SELECTs' share against the increase Prometheus saw");
            for (String operation : List.of("INSERT", "UPDATE", "DELETE")) {
                assertEquals(0.0, (double) failedShares.get(operation), operation + "'s failed share");
            }
            assertTrue(Double.isNaN(failedShares.get("CREATE")), "CREATE, not run in the window, has no share: " + failedShares);
        }

        /** The pending HttpServerErrorRateHigh of the instance, a quarter of whose requests failed (its {@code for:} is 5 minutes). */
        void errorRateAlertPending() throws IOException {
            List<Sample> alerts = query("ALERTS{alertname=\"HttpServerErrorRateHigh\"}");
            assertEquals(1, alerts.size(), alerts.toString());
            Map<String, String> labels = new TreeMap<>(alerts.get(0).labels);
            labels.remove("__name__");
            assertEquals(Map.of("alertname", "HttpServerErrorRateHigh", "alertstate", "pending", "severity", "critical",
                    "job", PrometheusServer.JOB, "instance", instance), labels);
        }

        /**
         * Every query of the four rows, its variables filled in ({@code route} as Grafana's "All"),
         * answers; with the rules' values, the pool's and the job's.
         */
        void dashboard() throws IOException {
            Map<String, String> values = Map.of("job", PrometheusServer.JOB, "instance", instance, "pool", "orders", "route", ".*");
            Map<String, List<Sample>> answers = new LinkedHashMap<>();
            for (Monitoring.Query query : Monitoring.panelQueries()) {
                if (!ROWS.contains(query.row)) {
                    continue;
                }
                List<Sample> samples = query(Monitoring.substitute(query.expr, values));
                answers.put(query.panel + " " + query.refId, samples);
                assertFalse(samples.isEmpty(), query + " has no result: " + query.expr + "\n" + prometheus.log());
            }
            assertEquals(22, answers.size(), "the four rows' queries: " + answers.keySet());
            Monitoring.Query pool = Monitoring.variableQueries().get("pool");
            assertEquals(Set.of("orders"), query(Monitoring.substitute(pool.expr, values)).stream()
                    .map(s -> s.label(pool.refId)).collect(Collectors.toCollection(TreeSet::new)));
            Monitoring.Query route = Monitoring.variableQueries().get("route");
            assertEquals(ROUTES, query(Monitoring.substitute(route.expr, values)).stream()
                    .map(s -> s.label(route.refId)).collect(Collectors.toCollection(TreeSet::new)));

            String requests = "instance_http_route:http_server_request_duration_seconds_count:rate5m";
            assertEquals(values(requests, "http_route"), byLabels(answers.get("Requests by route A"), "http_route"));
            assertEquals(values("instance_http_route:http_server_requests_5xx:percent_rate5m", "http_route"),
                    byLabels(answers.get("5xx share by route A"), "http_route"));
            Map<String, Double> byStatus = byLabels(answers.get("Requests by status A"), "http_response_status_code");
            Map<String, Double> seenByStatus = seen("http_server_request_duration_seconds_count", "http_response_status_code");
            assertEquals(seenByStatus.keySet(), byStatus.keySet());
            byStatus.forEach((status, rate) -> assertNear(seenByStatus.get(status) / sum(seenByStatus), 1e-9, rate / sum(byStatus),
                    "share of status " + status + " against the increase Prometheus saw"));
            assertPercentiles(answers, "Latency by route: p50, p95, p99",
                    values("instance_http_route:http_server_request_duration_seconds:p95_rate5m", "http_route"), "http_route");
            Map<String, Double> active = new TreeMap<>();
            for (Sample sample : answers.get("Active requests A")) {
                assertEquals(instance, sample.label("instance"), sample.toString());
                active.put(sample.label("http_request_method"), sample.value);
            }
            assertEquals(Map.of("GET", 0.0, "POST", 0.0, "PUT", 0.0, "DELETE", 0.0), active, "requests in flight once the rounds ended");
            // One route picked, escaped as Grafana escapes a multi-value variable's value in a regular expression.
            String oneRoute = Monitoring.panelQueries().stream().filter(q -> q.panel.equals("Requests by route"))
                    .findFirst().orElseThrow().expr;
            Map<String, String> picked = new TreeMap<>(values);
            picked.put("route", "/orders/\\\\{id\\\\}");
            assertEquals(Map.of("/orders/{id}", one(requests + "{http_route=\"/orders/{id}\"}")),
                    byLabels(query(Monitoring.substitute(oneRoute, picked)), "http_route"), "requests of the route picked");

            String operations = "instance_db_system_name_db_operation_name:db_client_operation_duration_seconds_count:rate5m";
            assertEquals(values(operations, "db_system_name", "db_operation_name"),
                    byLabels(answers.get("Operations by type A"), "db_system_name", "db_operation_name"));
            assertEquals(values("instance_db_system_name_db_operation_name:db_client_operations_failed:percent_rate5m",
                    "db_system_name", "db_operation_name"),
                    byLabels(answers.get("Failed share by operation A"), "db_system_name", "db_operation_name"));
            assertPercentiles(answers, "Latency by operation: p50, p95, p99", values(
                    "instance_db_system_name_db_operation_name:db_client_operation_duration_seconds:p95_rate5m",
                    "db_system_name", "db_operation_name"), "db_system_name", "db_operation_name");

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

        /**
         * A latency panel's p50, p95 and p99 (targets A, B, C) by {@code labels}: p95 the rule's,
         * each no more than the next; NaN together where nothing ran in the window.
         */
        private static void assertPercentiles(Map<String, List<Sample>> answers, String panel, Map<String, Double> p95,
                String... labels) {
            Map<String, Double> p50s = byLabels(answers.get(panel + " A"), labels);
            Map<String, Double> p95s = byLabels(answers.get(panel + " B"), labels);
            Map<String, Double> p99s = byLabels(answers.get(panel + " C"), labels);
            assertEquals(p95, p95s, panel + " p95");
            assertEquals(p95s.keySet(), p50s.keySet(), panel + " p50");
            assertEquals(p95s.keySet(), p99s.keySet(), panel + " p99");
            p95s.forEach((key, value) -> {
                double[] ordered = {p50s.get(key), value, p99s.get(key)};
                assertTrue(Double.isNaN(value) ? Double.isNaN(ordered[0]) && Double.isNaN(ordered[2])
                        : 0 < ordered[0] && ordered[0] <= ordered[1] && ordered[1] <= ordered[2], panel + " " + key + ": "
                        + Arrays.toString(ordered));
            });
        }

        /** How much each series of {@code counter} grew while Prometheus scraped it, summed by {@code labels}. */
        private Map<String, Double> seen(String counter, String... labels) throws IOException {
            return values("sum by (" + String.join(", ", labels) + ") (" + counter + " - min_over_time(" + counter + "[5m]))", labels);
        }

        /** {@code expr}'s values keyed by {@code labels}' values, joined with {@code |} ({@code ""} where a label is absent). */
        private Map<String, Double> values(String expr, String... labels) throws IOException {
            return byLabels(query(expr), labels);
        }

        private static Map<String, Double> byLabels(List<Sample> samples, String... labels) {
            Map<String, Double> values = new TreeMap<>();
            for (Sample sample : samples) {
                String key = Arrays.stream(labels).map(l -> sample.labels.getOrDefault(l, "")).collect(Collectors.joining("|"));
                assertNull(values.put(key, sample.value), "two series of " + key + ": " + samples);
            }
            return values;
        }

        private static double sum(Map<String, Double> values) {
            return values.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /**
         * A 5-minute rate against the increase Prometheus saw: rate() extrapolates by at most half a
         * scrape interval and the time since the last scrape, over the 30 s and more it scraped.
         */
        private static void assertRateOf(double seen, double rate, String what) {
            assertWithin(seen / 300 * (1 - 1e-9), seen / 300 * 1.1, rate, what);
        }

        /** The labels a recording rule's series have: job, instance if per instance, those its level names, le for buckets. */
        private static Set<String> levelLabels(String record) {
            String level = record.substring(0, record.indexOf(':'));
            Set<String> names = new TreeSet<>(List.of("job"));
            if (level.startsWith("instance")) {
                names.add("instance");
            }
            String rest = level.substring(level.startsWith("instance") ? "instance".length() : "job".length());
            while (!rest.isEmpty()) {
                String named = rest;
                String label = LEVEL_LABELS.stream().filter(l -> named.startsWith("_" + l)).findFirst()
                        .orElseThrow(() -> new AssertionError(record + " names a label the test does not know: " + named));
                names.add(label);
                rest = rest.substring(label.length() + 1);
            }
            if (record.endsWith("_bucket:rate5m")) {
                names.add("le");
            }
            return names;
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
