package io.metricsagent.agent.config;

import io.metricsagent.agent.instrument.ErrorRule;
import io.metricsagent.agent.instrument.FailedWhen;
import io.metricsagent.agent.instrument.GaugeRule;
import io.metricsagent.agent.instrument.MeteredRecipe;
import io.metricsagent.agent.instrument.MethodRule;
import io.metricsagent.agent.instrument.PaymentPreset;
import io.metricsagent.agent.instrument.Recipe;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private static final Set<String> RULE_KEYS = ruleKeys("class", "extends", "annotated", "method", "parameters",
            "exclude", "preset", "name", "help", "buckets", "outcome", "exception", "constants", "labels", "observe",
            "failed_when", "errors", "nesting", "nesting_group", "in_flight");
    private static final Set<String> EXCLUDE_KEYS = Set.of("class", "method");
    private static final Set<String> GAUGE_KEYS = Set.of("class", "method", "name", "help", "labels");
    private static final Set<String> OBSERVE_KEYS = Set.of("name", "help", "buckets", "value");
    private static final Set<String> FAILED_WHEN_KEYS = Set.of("value", "equals", "not_equals", "in", "is_null", "error_type");
    private static final Set<String> ERROR_KEYS = Set.of("type", "error_type", "severity", "causes");
    private static final Set<String> FLAGS = Set.of("outcome", "exception", "in_flight");

    /** Each option's text, or the mapping of labels the file gives a label option. */
    final Map<String, Object> options = new LinkedHashMap<>();
    final List<MethodRule> rules = new ArrayList<>();
    /** The file's {@code errors:}, which every rule takes after its own. */
    private List<ErrorRule> fileErrors = List.of();
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
                config.options.put(key, config.labels(Option.of(key), (MappingNode) entry.getValueNode()));
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

    private static Set<String> ruleKeys(String... general) {
        Set<String> keys = new HashSet<>(PaymentPreset.KEYS);
        keys.addAll(List.of(general));
        return Set.copyOf(keys);
    }

    private void readRules(Node node) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, "metrics must be a list of rules (- class: ..., method: ...)");
        }
        for (Node ruleNode : ((SequenceNode) node).getValue()) {
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
                if (FLAGS.contains(key)) {
                    flag(key, entry.getValueNode());
                }
                keys.put(key, entry.getValueNode());
            }
            if (!keys.containsKey("class") && !keys.containsKey("extends") && !keys.containsKey("annotated")) {
                throw error(ruleNode, "a rule needs class, extends or annotated (with method, or every method is meant)");
            }
            String preset = text(keys, "preset");
            if (preset != null && !preset.equals(PaymentPreset.NAME)) {
                throw error(keys.get("preset"), "unknown preset '" + preset + "'; the one preset is " + PaymentPreset.NAME);
            }
            if (preset == null && !keys.containsKey("name")) {
                throw error(ruleNode, "a rule needs a name (the base of its metric names) or preset: " + PaymentPreset.NAME);
            }
            MethodRule.Nesting nesting = nesting(keys.get("nesting"));
            String group = nestingGroup(keys.get("nesting_group"), nesting);
            if (preset != null && keys.containsKey("in_flight")) {
                throw error(keys.get("in_flight"), "in_flight is for rules with a name, not for preset: " + preset);
            }
            checkKeys(keys.get("observe"), OBSERVE_KEYS, "observe");
            checkKeys(keys.get("failed_when"), FAILED_WHEN_KEYS, "failed_when");
            Recipe recipe = preset != null ? presetRecipe(ruleNode, keys) : meteredRecipe(keys);
            List<ErrorRule> errors = new ArrayList<>();
            if (keys.containsKey("errors")) {
                if (recipe instanceof MeteredRecipe && !((MeteredRecipe) recipe).exception()) {
                    throw error(keys.get("errors"), "errors classify the exception label, which exception: false"
                            + " leaves out");
                }
                errors.addAll(errors(keys.get("errors"), preset != null));
            }
            errors.addAll(fileErrors);
            List<String> parameterTypes = keys.containsKey("parameters")
                    ? texts(sequence(keys.get("parameters"), "parameters"), "a parameter type") : null;
            List<MethodRule.Exclusion> exclusions = new ArrayList<>();
            if (keys.containsKey("exclude")) {
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
            MethodRule.Selection selection = new MethodRule.Selection(text(keys, "class"), text(keys, "extends"),
                    text(keys, "annotated"), text(keys, "method"), parameterTypes, exclusions);
            rules.add(new MethodRule(where, selection, recipe, failedWhen(keys.get("failed_when")), errors, nesting,
                    group));
        }
    }

    /** {@code nesting: outermost|all}; outermost when left out. */
    private MethodRule.Nesting nesting(Node node) {
        if (node == null) {
            return MethodRule.Nesting.OUTERMOST;
        }
        String text = scalar(node, "nesting");
        for (MethodRule.Nesting nesting : MethodRule.Nesting.values()) {
            if (nesting.name().toLowerCase(Locale.ROOT).equals(text)) {
                return nesting;
            }
        }
        throw error(node, "nesting must be outermost or all, not '" + text + "'");
    }

    /** {@code nesting_group: NAME}, which implies outermost; {@code null} when left out. */
    private String nestingGroup(Node node, MethodRule.Nesting nesting) {
        if (node == null) {
            return null;
        }
        String group = scalar(node, "nesting_group");
        if (group.isEmpty()) {
            throw error(node, "nesting_group must name a group");
        }
        if (nesting == MethodRule.Nesting.ALL) {
            throw error(node, "nesting_group counts the outermost call of its group, which nesting: all contradicts");
        }
        return group;
    }

    /** A rule with a name: its families, as {@code @Metered}'s. */
    private MeteredRecipe meteredRecipe(Map<String, Node> keys) {
        MeteredRecipe.Builder recipe = MeteredRecipe.named(text(keys, "name"));
        if (keys.containsKey("help")) {
            recipe.help(text(keys, "help"));
        }
        if (keys.containsKey("buckets")) {
            recipe.buckets(numbers(keys.get("buckets")));
        }
        if (keys.containsKey("outcome")) {
            recipe.outcome(flag("outcome", keys.get("outcome")));
        }
        if (keys.containsKey("exception")) {
            recipe.exception(flag("exception", keys.get("exception")));
        }
        if (keys.containsKey("in_flight")) {
            recipe.inFlight(flag("in_flight", keys.get("in_flight")));
        }
        for (Map.Entry<String, String> constant : labelSpecs(keys.get("constants"), "constants").entrySet()) {
            recipe.constant(constant.getKey(), constant.getValue());
        }
        for (Map.Entry<String, String> label : labelSpecs(keys.get("labels"), "labels").entrySet()) {
            recipe.label(label.getKey(), label.getValue());
        }
        Node observe = keys.get("observe");
        if (observe != null) {
            Map<String, Node> fields = fields(observe, "observe");
            if (!fields.containsKey("value")) {
                throw error(observe, "observe needs value (what is read, as a label's value is named)");
            }
            recipe.observe(new MeteredRecipe.Observe(fields.containsKey("name") ? text(fields, "name") : "",
                    text(fields, "help"), text(fields, "value"),
                    fields.containsKey("buckets") ? numbers(fields.get("buckets")) : null));
        }
        return recipe.build();
    }

    /** A rule with {@code preset: payment}: its keys are the preset's to read. */
    private Recipe presetRecipe(Node ruleNode, Map<String, Node> keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Node> key : keys.entrySet()) {
            if (PaymentPreset.KEYS.contains(key.getKey())) {
                values.put(key.getKey(), scalar(key.getValue(), key.getKey()));
            }
        }
        try {
            return PaymentPreset.recipe(values);
        } catch (IllegalArgumentException e) {
            throw error(ruleNode, e.getMessage());
        }
    }

    /** {@code failed_when: {value: return.status, equals: DECLINED}} (or not_equals, in, is_null); {@code null} when left out. */
    private FailedWhen failedWhen(Node node) {
        if (node == null) {
            return null;
        }
        Map<String, Node> fields = fields(node, "failed_when");
        if (!fields.containsKey("value")) {
            throw error(node, "failed_when needs value (what is read, as a label's value is named)");
        }
        List<String> texts = new ArrayList<>();
        boolean failsWhenIn = true;
        if (fields.containsKey("equals")) {
            texts.add(text(fields, "equals"));
        } else if (fields.containsKey("not_equals")) {
            texts.add(text(fields, "not_equals"));
            failsWhenIn = false;
        } else if (fields.containsKey("in")) {
            texts.addAll(texts(sequence(fields.get("in"), "in"), "in"));
        }
        return new FailedWhen(text(fields, "value"), texts, failsWhenIn,
                fields.containsKey("is_null") && flag("is_null", fields.get("is_null")), text(fields, "error_type"));
    }

    /** {@code constants:} or a rule's {@code labels:}: label names and what each label's value is. */
    private Map<String, String> labelSpecs(Node node, String what) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null) {
            for (NodeTuple label : mapping(node, what).getValue()) {
                String name = scalar(label.getKeyNode(), "a label name");
                labels.put(name, scalar(label.getValueNode(), "label " + name));
            }
        }
        return labels;
    }

    /** A mapping's values by key (the last of a key given twice, as YAML reads it). */
    private Map<String, Node> fields(Node node, String what) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple field : mapping(node, what).getValue()) {
            fields.put(scalar(field.getKeyNode(), "a key"), field.getValueNode());
        }
        return fields;
    }

    /** A key's single value; {@code null} when absent. */
    private String text(Map<String, Node> keys, String key) {
        Node node = keys.get(key);
        return node == null ? null : scalar(node, key);
    }

    private List<String> texts(SequenceNode node, String what) {
        List<String> texts = new ArrayList<>();
        for (Node element : node.getValue()) {
            texts.add(scalar(element, what));
        }
        return texts;
    }

    private SequenceNode sequence(Node node, String what) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, what + " must be a list");
        }
        return (SequenceNode) node;
    }

    /**
     * {@code errors:} entries, each {@code type} and {@code error_type}, optionally
     * {@code severity} and {@code causes}.
     *
     * @param severities whether an entry may set a severity: a rule's own only where there is a
     *                   severity label (the payment preset's); the file's always, used where there is
     */
    private List<ErrorRule> errors(Node node, boolean severities) {
        if (!(node instanceof SequenceNode)) {
            throw error(node, "errors must be a list of entries (- type: ..., error_type: ...)");
        }
        List<ErrorRule> entries = new ArrayList<>();
        for (Node entryNode : ((SequenceNode) node).getValue()) {
            checkKeys(entryNode, ERROR_KEYS, "an errors entry");
            Map<String, String> entry = new HashMap<>();
            ErrorRule.Severity severity = ErrorRule.Severity.BY_NUMBER;
            boolean causes = false;
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
                    try {
                        severity = PaymentPreset.severity(text);
                    } catch (IllegalArgumentException e) {
                        throw error(field.getValueNode(), e.getMessage());
                    }
                    if (!severities) {
                        throw error(field.getKeyNode(), "severity is the payment preset's (errors_total);"
                                + " this rule has no severity label");
                    }
                }
                if (key.equals("causes")) {
                    causes = flag(key, field.getValueNode());
                }
                entry.put(key, text);
            }
            if (!entry.containsKey("type") || !entry.containsKey("error_type")) {
                throw error(entryNode, "an errors entry needs type and error_type");
            }
            entries.add(new ErrorRule(entry.get("type"), entry.get("error_type"), severity, causes));
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

    /** A label option given as a mapping, each label checked as the command line's {@code name:value} are. */
    private Map<String, String> labels(Option option, MappingNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (NodeTuple label : node.getValue()) {
            String name = scalar(label.getKeyNode(), "a label name").trim();
            String value = scalar(label.getValueNode(), option.key + " " + name).trim();
            try {
                option.addLabel(labels, name, value);
            } catch (IllegalArgumentException e) {
                throw error(label.getKeyNode(), e.getMessage());
            }
        }
        return labels;
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

    private boolean flag(String key, Node node) {
        String text = scalar(node, key);
        if (!text.equals("true") && !text.equals("false")) {
            throw error(node, key + " must be true or false, not '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private double[] numbers(Node node) {
        List<Node> elements = sequence(node, "buckets").getValue();
        double[] numbers = new double[elements.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = number(elements.get(i), scalar(elements.get(i), "a bucket"));
        }
        return numbers;
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

    private double number(Node node, String text) {
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
