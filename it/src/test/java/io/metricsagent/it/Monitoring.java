package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** What {@code monitoring/} ships: the rule files, the dashboard and its queries, the example configurations. */
final class Monitoring {

    /** A dashboard's variable reference: {@code $name} or {@code ${name}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    private Monitoring() {}

    static Path dir() {
        String root = System.getProperty("project.root");
        assertTrue(root != null, "project.root is not set: run the integration tests through Maven (mvn verify)");
        return Paths.get(root).toAbsolutePath().normalize().resolve("monitoring");
    }

    static Path recordingRules() {
        return dir().resolve("prometheus/metrics-agent-recording.yml");
    }

    static Path alertRules() {
        return dir().resolve("prometheus/metrics-agent-alerts.yml");
    }

    static List<Path> ruleFiles() {
        return List.of(recordingRules(), alertRules());
    }

    static Path dashboardFile() {
        return dir().resolve("grafana/metrics-agent.json");
    }

    /** The rules of a rule file, in order, each as its YAML map (record or alert, expr, for, labels, ...). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Path ruleFile) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(ruleFile).get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    static List<String> recordNames() {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> rule : rules(recordingRules())) {
            names.add((String) rule.get("record"));
        }
        return names;
    }

    static List<String> alertNames() {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> rule : rules(alertRules())) {
            names.add((String) rule.get("alert"));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dashboard() {
        return (Map<String, Object>) parse(read(dashboardFile()));
    }

    /** One query of the dashboard: a panel's target, or the series selector of a variable's label_values(). */
    static final class Query {
        final String row;
        final String panel;
        /** The target's refId; for a variable, the label whose values it lists. */
        final String refId;
        final String expr;

        Query(String row, String panel, String refId, String expr) {
            this.row = row;
            this.panel = panel;
            this.refId = refId;
            this.expr = expr;
        }

        @Override
        public String toString() {
            return row + " / " + panel + " / " + refId;
        }
    }

    /** Every panel target, in the dashboard's order, under the row it sits in. */
    @SuppressWarnings("unchecked")
    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        String row = "";
        for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard().get("panels")) {
            if ("row".equals(panel.get("type"))) {
                row = (String) panel.get("title");
                continue;
            }
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                queries.add(new Query(row, (String) panel.get("title"), (String) target.get("refId"),
                        (String) target.get("expr")));
            }
        }
        return queries;
    }

    /** The series selector of each query variable, {@code label_values(selector, label)}, by variable name. */
    @SuppressWarnings("unchecked")
    static Map<String, Query> variableQueries() {
        Map<String, Query> queries = new LinkedHashMap<>();
        Map<String, Object> templating = (Map<String, Object>) dashboard().get("templating");
        for (Map<String, Object> variable : (List<Map<String, Object>>) templating.get("list")) {
            if (!"query".equals(variable.get("type"))) {
                continue;
            }
            String name = (String) variable.get("name");
            Matcher m = LABEL_VALUES.matcher((String) variable.get("query"));
            assertTrue(m.matches(), "variable " + name + " is not label_values(selector, label): " + variable.get("query"));
            queries.put(name, new Query("variables", name, m.group(2), m.group(1)));
        }
        return queries;
    }

    /** {@code expr} with each dashboard variable replaced by its value; a variable not in {@code values} fails. */
    static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                fail("the dashboard uses $" + m.group(1) + ", which the test gives no value: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        return (Map<String, Object>) parse(read(file));
    }

    /** YAML, or JSON (which is YAML): maps, lists, strings, numbers, booleans and nulls. */
    static Object parse(String text) {
        return new Yaml().load(text);
    }

    static String dump(Object yaml) {
        return new Yaml().dump(yaml);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
