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
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A configuration file in YAML ({@code config=/path/metrics-agent.yml}): the agent's options as
 * top-level keys, under {@code metrics:} the rules that meter methods no one may annotate, under
 * {@code errors:} how every rule classifies exceptions, after the rule's own {@code errors:}, and
 * under {@code gauges:} methods read as gauges at every scrape.
 *
 * <pre>
 * port: 9100
 * labels: {env: prod, region: eu}           # on every series; or as on the command line, env:prod;region:eu
 * push_grouping: {instance: batch-host-1}   # likewise
 * metrics:
 *   - class: com.shop.LegacyGateway          # exact, or a pattern with *; or, or as well:
 *     extends: com.shop.Gateway               #   the type and every subtype, loaded now or later
 *     annotated: org.example.Handler          #   the method or its class carries the annotation
 *     method: charge                          # a name or pattern; every method when left out
 *     parameters: [com.shop.ChargeRequest]    # optional: one overload
 *     exclude: [{class: com.shop.Test*}, {method: toString}]
 *     name: legacy_charges
 *     labels: {tier: request.customer.tier}   # args[N], a parameter's name, this or return, then a path
 *     failed_when: {value: return.status, equals: DECLINED}
 *     nesting: outermost                      # the default: a call inside another the rule meters is not counted; or all
 *     nesting_group: jdbc                     # optional: rules (and @Metered) of one group count a call once between them
 *     in_flight: true                         # optional: legacy_charges_in_flight, calls started and not finished
 *     errors:                                 # the exception label of what charge throws; first match wins
 *       - type: java.util.concurrent.TimeoutException   # this class and its subclasses
 *         error_type: timeout
 *         causes: true                        # also anywhere in the cause chain of what is thrown
 * errors:
 *   - type: java.io.IOException
 *     error_type: io
 *     severity: high                          # payment rules only: instead of the amount's severity
 * gauges:
 *   - class: com.shop.LegacyGateway          # exact
 *     method: pendingCharges                 # no arguments, returns a number; static or of each live instance
 *     name: legacy_pending_charges
 *     help: Charges in flight                # optional
 *     labels: {gateway: legacy, pool: this.name}   # optional: constants, or this.path read from each instance
 * </pre>
 *
 * Read with the file's structure checked here, each mistake named with its line; what a rule
 * says of a method is checked when that method is woven.
 */
final class YamlConfig {

    private static final Set<String> RULE_KEYS = Set.of("class", "extends", "annotated", "method", "parameters",
            "exclude", "preset", "gateway", "currency",
            "service", "amount", "user_tier", "payment_method", "severity_above", "name", "help", "buckets", "outcome", "exception",
            "constants", "labels", "observe", "failed_when", "errors", "nesting", "nesting_group", "in_flight");
    private static final Set<String> EXCLUDE_KEYS = Set.of("class", "method");
    private static final Set<String> GAUGE_KEYS = Set.of("class", "method", "name", "help", "labels");
    private static final Set<String> OBSERVE_KEYS = Set.of("name", "help", "buckets", "value");
    private static final Set<String> FAILED_WHEN_KEYS = Set.of("value", "equals", "not_equals", "in", "is_null", "error_type");
    private static final Set<String> ERROR_KEYS = Set.of("type", "error_type", "severity", "causes");
    private static final Set<String> SEVERITIES = Set.of("high", "medium");
    private static final Set<String> BOOLEANS = Set.of("outcome", "exception", "is_null", "causes", "in_flight");
    private static final Set<String> NESTINGS = Set.of("outermost", "all");

    final Map<String, String> options = new LinkedHashMap<>();
    final List<MethodRule> rules = new ArrayList<>();
    /** The file's {@code errors:}, which every rule takes after its own. */
    private List<Map<String, Object>> fileErrors = List.of();
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
     * @throws IllegalArgumentException {@code config=<file> line N: what is wrong}
     */
    static YamlConfig read(String file) {
        YamlConfig config = new YamlConfig(file);
        Node root;
        try (Reader in = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
            LoaderOptions limits = new LoaderOptions();
            limits.setMaxAliasesForCollections(10);
            root = compose(in, limits);
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
        Node metrics = null;
        for (NodeTuple entry : config.mapping(root, "the file").getValue()) {
            String key = config.scalar(entry.getKeyNode(), "a key");
            if (!seen.add(key)) {
                throw config.error(entry.getKeyNode(), "'" + key + "' is given twice");
            }
            if (key.equals("metrics")) {
                metrics = entry.getValueNode();
            } else if (key.equals("errors")) {
                config.fileErrors = config.errors(entry.getValueNode(), true);
            } else if (key.equals("gauges")) {
                config.readGauges(entry.getValueNode());
            } else if (Option.of(key) == null) {
                throw config.error(entry.getKeyNode(), "unknown option '" + key + "'; valid options are: "
                        + Option.FILE_KEYS + ", metrics, errors, gauges");
            } else if (!Option.inFile(key)) {
                throw config.error(entry.getKeyNode(), "config may not name another config file");
            } else if (Option.of(key).isLabels() && entry.getValueNode() instanceof MappingNode) {
                // Labels are written here as a mapping as well as in the command line's name:value;...
                config.options.put(key, config.labelList(key, (MappingNode) entry.getValueNode()));
            } else {
                config.options.put(key, config.scalar(entry.getValueNode(), key).trim());
            }
        }
        if (metrics != null) {
            config.readRules(metrics);
        }
        return config;
    }

    /**
     * A top-level option's text however bad the rest of the file is, for {@code strict}: or
     * {@code null}. Never throws.
     */
    static String option(String file, String key) {
        try (Reader in = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
            Node root = compose(in, new LoaderOptions());
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

    /**
     * The file's node tree, without SnakeYAML's object construction (never used here: every value
     * is read as text) or its implicit types (whose regular expressions are compiled on first use):
     * this runs in premain, where each class loaded delays the application.
     */
    private static Node compose(Reader in, LoaderOptions options) {
        Resolver plainText = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                // Every scalar is read as text; what it means is this class's to check.
            }
        };
        return new Composer(new ParserImpl(new StreamReader(in), options), plainText, options).getSingleNode();
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
            if (!keys.containsKey("class") && !keys.containsKey("extends") && !keys.containsKey("annotated")) {
                throw error(ruleNode, "a rule needs class, extends or annotated (with method, or every method is meant)");
            }
            String preset = (String) recipe.get("preset");
            if (preset != null && !preset.equals("payment")) {
                throw error(keys.get("preset"), "unknown preset '" + preset + "'; the one preset is payment");
            }
            if (preset == null && !keys.containsKey("name")) {
                throw error(ruleNode, "a rule needs a name (the base of its metric names) or preset: payment");
            }
            checkNesting(keys, recipe);
            if (preset != null && keys.containsKey("in_flight")) {
                throw error(keys.get("in_flight"), "in_flight is for rules with a name, not for preset: " + preset);
            }
            checkKeys(keys.get("observe"), OBSERVE_KEYS, "observe");
            checkKeys(keys.get("failed_when"), FAILED_WHEN_KEYS, "failed_when");
            List<Map<String, Object>> errors = new ArrayList<>();
            if (keys.containsKey("errors")) {
                if (preset == null && Boolean.FALSE.equals(recipe.get("exception"))) {
                    throw error(keys.get("errors"), "errors classify the exception label, which exception: false"
                            + " leaves out");
                }
                errors.addAll(errors(keys.get("errors"), preset != null));
            }
            errors.addAll(fileErrors);
            recipe.put("errors", errors);
            List<String> parameterTypes = null;
            if (keys.containsKey("parameters")) {
                parameterTypes = new ArrayList<>();
                for (Object type : list(keys.get("parameters"), recipe.remove("parameters"), "parameters")) {
                    parameterTypes.add(String.valueOf(type));
                }
            }
            List<MethodRule.Exclusion> exclusions = new ArrayList<>();
            if (keys.containsKey("exclude")) {
                recipe.remove("exclude");
                for (Node exclusion : sequence(keys.get("exclude"), "exclude").getValue()) {
                    checkKeys(exclusion, EXCLUDE_KEYS, "an exclusion");
                    Map<String, String> entry = new LinkedHashMap<>();
                    for (NodeTuple tuple : ((MappingNode) exclusion).getValue()) {
                        entry.put(scalar(tuple.getKeyNode(), "a key"), scalar(tuple.getValueNode(), "an exclusion's value"));
                    }
                    if (entry.isEmpty()) {
                        throw error(exclusion, "an exclusion needs class or method");
                    }
                    exclusions.add(new MethodRule.Exclusion(entry.get("class"), entry.get("method")));
                }
            }
            String where = shortName + " line " + (ruleNode.getStartMark().getLine() + 1);
            MethodRule.Selection selection = new MethodRule.Selection(text(keys, recipe, "class"),
                    text(keys, recipe, "extends"), text(keys, recipe, "annotated"), text(keys, recipe, "method"),
                    parameterTypes, exclusions);
            rules.add(new MethodRule(where, selection, recipe));
        }
    }

    /** {@code nesting: outermost|all} and {@code nesting_group: NAME}, which implies outermost. */
    private void checkNesting(Map<String, Node> keys, Map<String, Object> recipe) {
        Node nesting = keys.get("nesting");
        if (nesting != null && !NESTINGS.contains(scalar(nesting, "nesting"))) {
            throw error(nesting, "nesting must be outermost or all, not '" + recipe.get("nesting") + "'");
        }
        Node group = keys.get("nesting_group");
        if (group != null) {
            if (scalar(group, "nesting_group").isEmpty()) {
                throw error(group, "nesting_group must name a group");
            }
            if ("all".equals(recipe.get("nesting"))) {
                throw error(group, "nesting_group counts the outermost call of its group, which nesting: all contradicts");
            }
        }
    }

    /** A rule's key that must be a single value, taken out of its recipe; {@code null} when absent. */
    private String text(Map<String, Node> keys, Map<String, Object> recipe, String key) {
        if (!keys.containsKey(key)) {
            return null;
        }
        recipe.remove(key);
        return scalar(keys.get(key), key);
    }

    private List<?> list(Node node, Object value, String what) {
        sequence(node, what);
        return (List<?>) value;
    }

    private SequenceNode sequence(Node node, String what) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, what + " must be a list");
        }
        return (SequenceNode) node;
    }

    /**
     * {@code errors:} entries, each {@code type} and {@code error_type}, optionally
     * {@code severity} and {@code causes}, as plain values.
     *
     * @param severities whether an entry may set a severity: a rule's own only where there is a
     *                   severity label (the payment preset's); the file's always, used where there is
     */
    private List<Map<String, Object>> errors(Node node, boolean severities) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, "errors must be a list of entries (- type: ..., error_type: ...)");
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Node entryNode : ((SequenceNode) node).getValue()) {
            checkKeys(entryNode, ERROR_KEYS, "an errors entry");
            Map<String, Object> entry = new LinkedHashMap<>();
            for (NodeTuple field : ((MappingNode) entryNode).getValue()) {
                String key = scalar(field.getKeyNode(), "a key");
                if (entry.containsKey(key)) {
                    throw error(field.getKeyNode(), "'" + key + "' is given twice in an errors entry");
                }
                String text = scalar(field.getValueNode(), key);
                if (key.equals("type") && !isClassName(text)) {
                    throw error(field.getValueNode(), "type '" + text + "' is not a class name (nested classes with $)");
                }
                if (key.equals("error_type") && text.isEmpty()) {
                    throw error(field.getValueNode(), "error_type must not be empty");
                }
                if (key.equals("severity")) {
                    if (!SEVERITIES.contains(text)) {
                        throw error(field.getValueNode(), "severity must be high or medium, not '" + text + "'");
                    }
                    if (!severities) {
                        throw error(field.getKeyNode(), "severity is the payment preset's (errors_total);"
                                + " this rule has no severity label");
                    }
                }
                entry.put(key, value(key, field.getValueNode()));
            }
            if (!entry.containsKey("type") || !entry.containsKey("error_type")) {
                throw error(entryNode, "an errors entry needs type and error_type");
            }
            entries.add(entry);
        }
        return entries;
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

    /** A mapping of labels in the command line's form, which the options then check as they check that. */
    private String labelList(String key, MappingNode node) {
        List<String> pairs = new ArrayList<>();
        for (NodeTuple label : node.getValue()) {
            String name = scalar(label.getKeyNode(), "a label name").trim();
            String value = scalar(label.getValueNode(), key + " " + name).trim();
            if (name.indexOf(':') >= 0 || name.indexOf(';') >= 0) {
                throw error(label.getKeyNode(), key + ": '" + name + "' is not a valid label name");
            }
            if (value.indexOf(';') >= 0) {
                throw error(label.getValueNode(), key + ": the value of '" + name + "' must not contain ';'");
            }
            pairs.add(name + ":" + value);
        }
        return String.join(";", pairs);
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

    // A name as Class.getName() gives it: Java identifiers joined by dots.
    private static boolean isClassName(String name) {
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
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
