package io.metricsagent.agent.config;

import io.metricsagent.agent.instrument.GaugeRule;
import io.metricsagent.agent.instrument.MethodRule;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A configuration file in YAML ({@code config=/path/metrics-agent.yml}): the agent's options as
 * top-level keys, under {@code metrics:} the rules that meter methods no one may annotate, and
 * under {@code gauges:} methods read as gauges at every scrape.
 *
 * <pre>
 * port: 9100
 * metrics:
 *   - class: com.shop.LegacyGateway          # exact, or a pattern with *
 *     method: charge
 *     parameters: [com.shop.ChargeRequest]    # optional: one overload
 *     name: legacy_charges
 *     labels: {tier: request.customer.tier}   # args[N], a parameter's name, this or return, then a path
 *     failed_when: {value: return.status, equals: DECLINED}
 * gauges:
 *   - class: com.shop.LegacyGateway          # exact
 *     method: pendingCharges                 # no arguments, returns a number; static or of each live instance
 *     name: legacy_pending_charges
 *     help: Charges in flight                # optional
 *     labels: {gateway: legacy}              # optional constant labels
 * </pre>
 *
 * Read with the file's structure checked here, each mistake named with its line; what a rule
 * says of a method is checked when that method is woven.
 */
final class YamlConfig {

    private static final Set<String> RULE_KEYS = Set.of("class", "method", "parameters", "preset", "gateway", "currency",
            "service", "amount", "user_tier", "payment_method", "severity_above", "name", "help", "buckets", "outcome", "exception",
            "constants", "labels", "observe", "failed_when");
    private static final Set<String> GAUGE_KEYS = Set.of("class", "method", "name", "help", "labels");
    private static final Set<String> OBSERVE_KEYS = Set.of("name", "help", "buckets", "value");
    private static final Set<String> FAILED_WHEN_KEYS = Set.of("value", "equals", "not_equals", "in", "is_null", "error_type");
    private static final Set<String> BOOLEANS = Set.of("outcome", "exception", "is_null");

    final Map<String, String> options = new LinkedHashMap<>();
    final List<MethodRule> rules = new ArrayList<>();
    final List<GaugeRule> gauges = new ArrayList<>();
    private final String file;
    private final String shortName;

    private YamlConfig(String file) {
        this.file = file;
        Path name = Paths.get(file).getFileName();
        shortName = name == null ? file : name.toString();
    }

    static boolean isYaml(String file) {
        return file.endsWith(".yml") || file.endsWith(".yaml");
    }

    /**
     * @param knownOptions the option keys a top-level key may be
     * @throws IllegalArgumentException {@code config=<file> line N: what is wrong}
     */
    static YamlConfig read(String file, Set<String> knownOptions) {
        YamlConfig config = new YamlConfig(file);
        Node root;
        try (Reader in = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
            LoaderOptions limits = new LoaderOptions();
            limits.setMaxAliasesForCollections(10);
            root = new Yaml(limits).compose(in);
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException("config=" + file + " line " + (e.getProblemMark().getLine() + 1) + ": "
                    + e.getProblem());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config=" + file + " cannot be read: " + e);
        }
        if (root == null) {
            return config;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : config.mapping(root, "the file").getValue()) {
            String key = config.scalar(entry.getKeyNode(), "a key");
            if (!seen.add(key)) {
                throw config.error(entry.getKeyNode(), "'" + key + "' is given twice");
            }
            if (key.equals("metrics")) {
                config.readRules(entry.getValueNode());
            } else if (key.equals("gauges")) {
                config.readGauges(entry.getValueNode());
            } else if (key.equals("config")) {
                throw config.error(entry.getKeyNode(), "config may not name another config file");
            } else if (!knownOptions.contains(key)) {
                throw config.error(entry.getKeyNode(), "unknown option '" + key + "'; valid options are: "
                        + String.join(", ", knownOptions) + ", metrics, gauges");
            } else {
                config.options.put(key, config.scalar(entry.getValueNode(), key).trim());
            }
        }
        return config;
    }

    /**
     * A top-level option's text however bad the rest of the file is, for {@code strict}: or
     * {@code null}. Never throws.
     */
    static String option(String file, String key) {
        try (Reader in = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
            Node root = new Yaml(new LoaderOptions()).compose(in);
            if (root instanceof MappingNode) {
                for (NodeTuple entry : ((MappingNode) root).getValue()) {
                    if (entry.getKeyNode() instanceof ScalarNode && entry.getValueNode() instanceof ScalarNode
                            && key.equals(((ScalarNode) entry.getKeyNode()).getValue())) {
                        return ((ScalarNode) entry.getValueNode()).getValue();
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        return null;
    }

    private void readRules(Node node) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, "metrics must be a list of rules (- class: ..., method: ...)");
        }
        for (Node ruleNode : ((SequenceNode) node).getValue()) {
            Map<String, Object> recipe = new LinkedHashMap<>();
            Map<String, Node> keys = new LinkedHashMap<>();
            for (NodeTuple entry : mapping(ruleNode, "a rule").getValue()) {
                String key = scalar(entry.getKeyNode(), "a key");
                if (keys.containsKey(key)) {
                    throw error(entry.getKeyNode(), "'" + key + "' is given twice in a rule");
                }
                if (!RULE_KEYS.contains(key)) {
                    throw error(entry.getKeyNode(), "unknown key '" + key + "' in a rule; valid keys are: "
                            + String.join(", ", new TreeSet<>(RULE_KEYS)));
                }
                keys.put(key, entry.getValueNode());
                recipe.put(key, value(key, entry.getValueNode()));
            }
            if (!keys.containsKey("class") || !keys.containsKey("method")) {
                throw error(ruleNode, "a rule needs class and method");
            }
            String preset = (String) recipe.get("preset");
            if (preset != null && !preset.equals("payment")) {
                throw error(keys.get("preset"), "unknown preset '" + preset + "'; the one preset is payment");
            }
            if (preset == null && !keys.containsKey("name")) {
                throw error(ruleNode, "a rule needs a name (the base of its metric names) or preset: payment");
            }
            checkKeys(keys.get("observe"), OBSERVE_KEYS, "observe");
            checkKeys(keys.get("failed_when"), FAILED_WHEN_KEYS, "failed_when");
            Object parameters = recipe.remove("parameters");
            List<String> parameterTypes = null;
            if (parameters != null) {
                parameterTypes = new ArrayList<>();
                for (Object type : (List<?>) parameters) {
                    parameterTypes.add(String.valueOf(type));
                }
            }
            String where = shortName + " line " + (ruleNode.getStartMark().getLine() + 1);
            rules.add(new MethodRule(where, (String) recipe.remove("class"), (String) recipe.remove("method"),
                    parameterTypes, recipe));
        }
    }

    private void readGauges(Node node) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, "gauges must be a list of gauges (- class: ..., method: ..., name: ...)");
        }
        for (Node gaugeNode : ((SequenceNode) node).getValue()) {
            Map<String, Node> keys = new LinkedHashMap<>();
            for (NodeTuple entry : mapping(gaugeNode, "a gauge").getValue()) {
                String key = scalar(entry.getKeyNode(), "a key");
                if (keys.containsKey(key)) {
                    throw error(entry.getKeyNode(), "'" + key + "' is given twice in a gauge");
                }
                if (!GAUGE_KEYS.contains(key)) {
                    throw error(entry.getKeyNode(), "unknown key '" + key + "' in a gauge; valid keys are: "
                            + String.join(", ", new TreeSet<>(GAUGE_KEYS)));
                }
                keys.put(key, entry.getValueNode());
            }
            String className = text(keys.get("class"), "class");
            String method = text(keys.get("method"), "method");
            String name = text(keys.get("name"), "name");
            if (className.isEmpty() || method.isEmpty() || name.isEmpty()) {
                throw error(gaugeNode, "a gauge needs class, method and name");
            }
            if (className.contains("*")) {
                throw error(keys.get("class"), "a gauge's class is one class's exact name, not a pattern");
            }
            if (method.contains("*")) {
                throw error(keys.get("method"), "a gauge reads one method, named exactly, not a pattern");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Node labelsNode = keys.get("labels");
            if (labelsNode != null) {
                for (NodeTuple label : mapping(labelsNode, "labels").getValue()) {
                    String labelName = scalar(label.getKeyNode(), "a label name");
                    if (labels.put(labelName, scalar(label.getValueNode(), "label " + labelName)) != null) {
                        throw error(label.getKeyNode(), "label '" + labelName + "' is given twice");
                    }
                }
            }
            String help = keys.containsKey("help") ? scalar(keys.get("help"), "help") : null;
            gauges.add(new GaugeRule(shortName + " line " + (gaugeNode.getStartMark().getLine() + 1), className, method,
                    name, help, labels));
        }
    }

    /** A single value, trimmed; empty when the key is absent. */
    private String text(Node node, String what) {
        return node == null ? "" : scalar(node, what).trim();
    }

    private void checkKeys(Node node, Set<String> allowed, String what) {
        if (node == null) {
            return;
        }
        for (NodeTuple entry : mapping(node, what).getValue()) {
            String key = scalar(entry.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(entry.getKeyNode(), "unknown key '" + key + "' in " + what + "; valid keys are: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** A node as plain values: strings (booleans where a flag is meant), lists, maps. */
    private Object value(String key, Node node) {
        if (node instanceof ScalarNode) {
            String text = ((ScalarNode) node).getValue();
            if (BOOLEANS.contains(key)) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw error(node, key + " must be true or false, not '" + text + "'");
                }
                return Boolean.valueOf(text);
            }
            return text;
        }
        if (node instanceof SequenceNode) {
            List<Object> list = new ArrayList<>();
            for (Node element : ((SequenceNode) node).getValue()) {
                Object item = value(key, element);
                list.add(key.equals("buckets") ? number(element, (String) item) : item);
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple entry : ((MappingNode) node).getValue()) {
            String innerKey = scalar(entry.getKeyNode(), "a key");
            map.put(innerKey, value(innerKey, entry.getValueNode()));
        }
        return map;
    }

    private Double number(Node node, String text) {
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            throw error(node, "bucket '" + text + "' is not a number");
        }
    }

    private MappingNode mapping(Node node, String what) {
        if (!(node instanceof MappingNode)) {
            throw error(node, what + " must be a mapping of key: value");
        }
        return (MappingNode) node;
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode)) {
            throw error(node, what + " must be a single value");
        }
        return ((ScalarNode) node).getValue();
    }

    private IllegalArgumentException error(Node node, String message) {
        return new IllegalArgumentException("config=" + file + " line " + (node.getStartMark().getLine() + 1) + ": " + message);
    }
}
