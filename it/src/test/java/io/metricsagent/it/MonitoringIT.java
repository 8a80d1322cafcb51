package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.it.MonitoringTools.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code monitoring/} ships, checked by Prometheus' and Alertmanager's own tools: the rule
 * files by {@code promtool check rules}, their unit tests by {@code promtool test rules}, every
 * expression of the dashboard by {@code promtool check rules} (each one a recording rule of a
 * file written for the check, its variables filled in), and the example configurations by
 * {@code promtool check config} and {@code amtool check-config}.
 */
class MonitoringIT {

    /**
     * Values for the dashboard's variables: any will do for a syntax check; the route as Grafana
     * escapes a selected value into a regular expression.
     */
    static final Map<String, String> CHECK_VALUES = Map.of(
            "job", "metrics-agent", "instance", "127.0.0.1:8000", "gateway", "stripe", "user_tier", ".*",
            "route", "/orders/\\\\{id\\\\}", "pool", "HikariPool-1", "__rate_interval", "1m");
    /** A recorded series' name (level:metric:operations), not inside a string nor a subquery's range. */
    private static final Pattern RECORDED_NAME = Pattern.compile("(?<![\\w:])[a-zA-Z_]\\w*:[\\w:]*");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void ruleFilesPassPromtoolCheckRules() throws IOException {
        Set<Path> shipped;
        try (Stream<Path> files = Files.list(Monitoring.dir().resolve("prometheus"))) {
            shipped = files.filter(f -> f.toString().endsWith(".yml")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(Monitoring.ruleFiles()), shipped, "a rule file this test does not know of");
        Path promtool = MonitoringTools.promtool();
        for (Path file : Monitoring.ruleFiles()) {
            Result check = MonitoringTools.run(MonitoringTools.command(promtool, "check", "rules", file));
            assertEquals(0, check.exitCode, check.output);
            assertTrue(check.output.contains("SUCCESS: " + Monitoring.rules(file).size() + " rules found"), check.output);
        }
    }

    @Test
    void ruleUnitTestsPass() throws IOException {
        List<Path> tests = unitTestFiles();
        List<Object> command = new ArrayList<>(List.of("test", "rules"));
        command.addAll(tests);
        Result run = MonitoringTools.run(MonitoringTools.command(MonitoringTools.promtool(), command.toArray()));
        assertEquals(0, run.exitCode, run.output);
        assertFalse(run.output.contains("FAILED"), run.output);
        assertEquals(tests.size(), run.output.split("SUCCESS", -1).length - 1, run.output);
    }

    /**
     * Every recording rule's value is checked by a unit test, and every alert is tested both
     * firing and silent; an added rule without a test fails here.
     */
    @Test
    @SuppressWarnings("unchecked")
    void unitTestsCoverEveryRule() throws IOException {
        Set<String> evaluated = new TreeSet<>();
        Set<String> fired = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Path file : unitTestFiles()) {
            for (Map<String, Object> test : (List<Map<String, Object>>) Monitoring.yaml(file).get("tests")) {
                for (Map<String, Object> exprTest : list(test.get("promql_expr_test"))) {
                    evaluated.addAll(recordedNames((String) exprTest.get("expr")));
                }
                for (Map<String, Object> alertTest : list(test.get("alert_rule_test"))) {
                    boolean fires = !list(alertTest.get("exp_alerts")).isEmpty();
                    (fires ? fired : silent).add((String) alertTest.get("alertname"));
                }
            }
        }
        assertEquals(new TreeSet<>(Monitoring.recordNames()), evaluated, "recording rules with a value checked");
        assertEquals(new TreeSet<>(Monitoring.alertNames()), fired, "alerts tested firing");
        assertEquals(new TreeSet<>(Monitoring.alertNames()), silent, "alerts tested silent");
    }

    /** Every recorded series the alerts and the dashboard read is one the recording rules write. */
    @Test
    void everyRecordedSeriesReadIsRecorded() {
        Set<String> recorded = new TreeSet<>(Monitoring.recordNames());
        Map<String, String> reads = new LinkedHashMap<>();
        for (Map<String, Object> rule : Monitoring.rules(Monitoring.alertRules())) {
            reads.put("alert " + rule.get("alert"), (String) rule.get("expr"));
        }
        for (Map<String, Object> rule : Monitoring.rules(Monitoring.recordingRules())) {
            reads.put("rule " + rule.get("record"), (String) rule.get("expr"));
        }
        for (Monitoring.Query query : Monitoring.panelQueries()) {
            reads.put("panel " + query, query.expr);
        }
        reads.forEach((what, expr) -> {
            for (String name : recordedNames(expr)) {
                assertTrue(recorded.contains(name), what + " reads " + name + ", which no recording rule writes: " + expr);
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDashboardExpressionPassesPromtool(@TempDir Path dir) throws IOException {
        List<Monitoring.Query> queries = new ArrayList<>(Monitoring.panelQueries());
        queries.addAll(Monitoring.variableQueries().values());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("record", "dashboard:query_" + i + ":check");
            rule.put("expr", Monitoring.substitute(queries.get(i).expr, CHECK_VALUES));
            rules.add(rule);
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, Monitoring.dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))),
                StandardCharsets.UTF_8);

        Result check = MonitoringTools.run(MonitoringTools.command(MonitoringTools.promtool(), "check", "rules", file));
        assertEquals(0, check.exitCode, check.output + "\n--- of:\n" + Monitoring.read(file));
        assertTrue(check.output.contains("SUCCESS: " + queries.size() + " rules found"), check.output);

        Map<String, Object> dashboard = Monitoring.dashboard();
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
            if ("row".equals(panel.get("type"))) {
                rows.add((String) panel.get("title"));
                continue;
            }
            assertEquals(Map.of("type", "prometheus", "uid", "${datasource}"), panel.get("datasource"), (String) panel.get("title"));
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                assertEquals(panel.get("datasource"), target.get("datasource"), (String) panel.get("title"));
            }
        }
        assertEquals(List.of("Business", "HTTP server", "Database", "HikariCP pools", "Scheduled jobs", "System",
                "Connection pool", "JVM", "Agent health"), rows);
        List<String> variables = new ArrayList<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) ((Map<String, Object>) dashboard.get("templating")).get("list")) {
            variables.add(variable.get("type") + " " + variable.get("name"));
        }
        assertEquals(List.of("datasource datasource", "query job", "query instance", "query gateway", "query user_tier",
                "query route", "query pool"), variables);
    }

    @Test
    @SuppressWarnings("unchecked")
    void exampleConfigurationsAreValid() {
        Path prometheusYml = Monitoring.dir().resolve("prometheus.yml");
        Result prometheus = MonitoringTools.run(MonitoringTools.command(MonitoringTools.promtool(), "check", "config", prometheusYml));
        assertEquals(0, prometheus.exitCode, prometheus.output);
        assertTrue(prometheus.output.contains("SUCCESS: 2 rule files found"), prometheus.output);
        Map<String, Object> config = Monitoring.yaml(prometheusYml);
        List<Path> ruleFiles = new ArrayList<>();
        for (String ruleFile : (List<String>) config.get("rule_files")) {
            ruleFiles.add(Monitoring.dir().resolve(ruleFile).normalize());
        }
        assertEquals(Monitoring.ruleFiles(), ruleFiles);

        Path alertmanagerYml = Monitoring.dir().resolve("alertmanager.yml");
        Result alertmanager = MonitoringTools.run(MonitoringTools.command(MonitoringTools.amtool(), "check-config", alertmanagerYml));
        assertEquals(0, alertmanager.exitCode, alertmanager.output);
        assertTrue(alertmanager.output.contains("SUCCESS"), alertmanager.output);

        Map<String, Object> datasources = Monitoring.yaml(Monitoring.dir().resolve("grafana/provisioning/datasources/metrics-agent.yml"));
        assertEquals(1, datasources.get("apiVersion"));
        assertEquals("prometheus", ((List<Map<String, Object>>) datasources.get("datasources")).get(0).get("type"));
        Map<String, Object> dashboards = Monitoring.yaml(Monitoring.dir().resolve("grafana/provisioning/dashboards/metrics-agent.yml"));
        assertEquals(1, dashboards.get("apiVersion"));
        assertEquals("file", ((List<Map<String, Object>>) dashboards.get("providers")).get(0).get("type"));
    }

    private static List<Path> unitTestFiles() throws IOException {
        try (Stream<Path> files = Files.list(Monitoring.dir().resolve("prometheus/tests"))) {
            List<Path> tests = files.filter(f -> f.toString().endsWith(".yml")).sorted().collect(Collectors.toList());
            assertFalse(tests.isEmpty(), "no unit tests under monitoring/prometheus/tests");
            return tests;
        }
    }

    static Set<String> recordedNames(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = RECORDED_NAME.matcher(STRING.matcher(expr).replaceAll("\"\""));
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object yaml) {
        return yaml == null ? List.of() : (List<Map<String, Object>>) yaml;
    }
}
