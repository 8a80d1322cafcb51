package io.metricsagent.agent.config;

import io.metricsagent.agent.description.DerivedLabel;
import io.metricsagent.agent.description.ErrorRule;
import io.metricsagent.agent.description.CallGate;
import io.metricsagent.agent.description.FailedWhen;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.description.MeteredRecipe;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.PaymentPreset;
import io.metricsagent.agent.description.Recall;
import io.metricsagent.agent.description.Recipe;
import io.metricsagent.agent.description.Remember;
import java.io.Reader;
import java.io.StringReader;
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
import org.yaml.snakeyaml.error.MarkedYAMLException;

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
 *     name: legacy_charges                    # or histogram: legacy_charge_seconds, its one metric, exactly
 *     labels: {tier: request.customer.tier}   # args[N], a parameter's name, this or return, then a path;
 *                                             # or {outcome: [SUCCESS, ERROR]}, {exception: simple_name, none: none};
 *                                             # or {value: PATH, thrown:, missing:, map:, other:, extract:, read: entry},
 *                                             # {first_of: [...]}
 *     failed_when: {value: return.status, equals: DECLINED}
 *     only_when: {value: args[0].dispatcherType, in: [REQUEST, ASYNC]}   # read on entry: other calls are not metered
 *     drop_when: {value: args[0].asyncStarted, equals: "true"}          # read at exit: such a call records nothing
 *     jdk_classes: true                       # optional: the JDK's own classes it selects are woven too
 *     nesting: outermost                      # the default: a call inside another the rule meters is not counted; or all
 *     nesting_group: jdbc                     # optional: rules (and @Metered) of one group count a call once between them
 *     in_flight: true                         # optional: legacy_charges_in_flight, calls started and not finished;
 *                                             # with histogram: {name: NAME, labels: [tier]}
 *                                             # a label may read recall(this, sql_operation): see remember
 *     errors:                                 # the exception label of what charge throws; first match wins
 *       - type: java.util.concurrent.TimeoutException   # this class and its subclasses
 *         error_type: timeout
 *         causes: true                        # also anywhere in the cause chain of what is thrown
 *   - extends: java.sql.Connection            # a rule that records no metric, but keeps for recall(...) a text
 *     method: prepareStatement
 *     remember: {name: sql_operation, object: return, value: args[0], extract: sql_keyword, map: [SELECT], other: other}
 * errors:
 *   - type: java.io.IOException
 *     error_type: io
 *     severity: high                          # payment rules only: instead of the amount's severity
 * gauges:
 *   - class: com.shop.LegacyGateway          # exact
 *     method: pendingCharges                 # no arguments, returns a number; static or of each live instance
 *                                            # or, instead of method, value: this.limits.maxPending
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
            "exclude", "preset", "name", "histogram", "help", "buckets", "outcome", "exception", "constants", "labels", "observe",
            "failed_when", "errors", "nesting", "nesting_group", "in_flight", "only_when", "drop_when", "jdk_classes",
            "remember");
    private static final Set<String> EXCLUDE_KEYS = Set.of("class", "method");
    private static final Set<String> GAUGE_KEYS = Set.of("class", "method", "value", "name", "help", "labels");
    private static final Set<String> OBSERVE_KEYS = Set.of("name", "help", "buckets", "value");
    private static final Set<String> FAILED_WHEN_KEYS = Set.of("value", "equals", "not_equals", "in", "not_in", "is_null",
            "error_type");
    private static final Set<String> GATE_KEYS = Set.of("value", "equals", "not_equals", "in", "not_in", "is_null");
    private static final Set<String> ERROR_KEYS = Set.of("type", "error_type", "severity", "causes");
    private static final Set<String> FLAGS = Set.of("outcome", "exception", "in_flight", "jdk_classes");
    private static final Set<String> VALUE_LABEL_KEYS = Set.of("value", "first_of", "thrown", "missing", "map", "other",
            "extract", "read");
    private static final Set<String> EXCEPTION_LABEL_KEYS = Set.of("exception", "none", "unwrap");
    private static final Set<String> IN_FLIGHT_KEYS = Set.of("name", "labels");
    private static final Set<String> EXTRACT_KEYS = Set.of("after", "until");
    private static final Set<String> REMEMBER_KEYS = Set.of("name", "object", "value", "extract", "map", "other");
    /** What a rule with {@code remember:} may say beside it: what it selects, and how calls nest. */
    private static final Set<String> REMEMBERING_RULE_KEYS = Set.of("class", "extends", "annotated", "method",
            "parameters", "exclude", "nesting", "nesting_group", "remember");

    /** Each option's text, or the mapping of labels the file gives a label option. */
    final Map<String, Object> options = new LinkedHashMap<>();
    final List<MethodRule> rules = new ArrayList<>();
    /** The file's {@code errors:}, which every rule takes after its own. */
    private List<ErrorRule> fileErrors = List.of();
    final List<GaugeRule> gauges = new ArrayList<>();
    private final String file;
    private final String shortName;

    private YamlConfig(String file, String shortName) {
        this.file = file;
        this.shortName = shortName;
    }

    static boolean isYaml(String file) {
        return file.endsWith(".yml") || file.endsWith(".yaml");
    }

    /**
     * @throws IllegalArgumentException {@code config=<file> line N: what is wrong}
     */
    static YamlConfig read(String file) {
        Path name = Paths.get(file).getFileName();
        YamlConfig config = new YamlConfig(file, name == null ? file : name.toString());
        String text = ConfigFile.text(Option.CONFIG.key, file);
        if (!config.readBlock(text)) {
            config.read(new StringReader(text));
        }
        return config;
    }

    /**
     * A shipped preset's file: rules and gauges as a configuration file has them, and no option.
     * Its rules are named {@code preset:NAME.yml line N}.
     *
     * @throws IllegalArgumentException {@code config=preset:NAME.yml line N: what is wrong}
     */
    static YamlConfig readPreset(String name, String text) {
        YamlConfig config = new YamlConfig("preset:" + name + ".yml", "preset:" + name + ".yml");
        if (!config.readBlock(text)) {
            config.read(new StringReader(text));
        }
        if (!config.options.isEmpty()) {
            throw new IllegalArgumentException(config.file + " sets options; a preset has metrics and gauges only");
        }
        return config;
    }

    /**
     * Whether the small reader read the document, which it does without loading SnakeYAML; when it
     * declines, SnakeYAML is to read it.
     */
    private boolean readBlock(String text) {
        YamlNode root = BlockYaml.read(text);
        if (root != null) {
            use(root);
        }
        return root != null;
    }

    private void read(Reader in) {
        YamlNode root;
        try {
            LoaderOptions limits = new LoaderOptions();
            limits.setMaxAliasesForCollections(10);
            root = YamlNode.read(in, limits);
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException("config=" + file + " line " + (e.getProblemMark().getLine() + 1) + ": "
                    + e.getProblem());
        } catch (YamlNode.Problem e) {
            throw new IllegalArgumentException("config=" + file + " line " + e.line + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config=" + file + " cannot be read: " + e);
        }
        if (root != null) {
            use(root);
        }
    }

    private void use(YamlNode root) {
        YamlConfig config = this;
        Set<String> seen = new HashSet<>();
        YamlNode metrics = null;
        for (Map.Entry<YamlNode, YamlNode> entry : config.mapping(root, "the file").entries()) {
            String key = config.scalar(entry.getKey(), "a key");
            if (!seen.add(key)) {
                throw config.error(entry.getKey(), "'" + key + "' is given twice");
            }
            if (key.equals("metrics")) {
                metrics = entry.getValue();
            } else if (key.equals("errors")) {
                config.fileErrors = config.errors(entry.getValue(), true);
            } else if (key.equals("gauges")) {
                config.readGauges(entry.getValue());
            } else if (Option.of(key) == null) {
                throw config.error(entry.getKey(), "unknown option '" + key + "'; valid options are: "
                        + Option.FILE_KEYS + ", metrics, errors, gauges");
            } else if (!Option.inFile(key)) {
                throw config.error(entry.getKey(), "config may not name another config file");
            } else if (Option.of(key).isList() && entry.getValue().kind == YamlNode.Kind.SEQUENCE) {
                // A list may be a YAML list here, as well as the command line's a+b.
                config.options.put(key, String.join(",", config.texts(entry.getValue(), key)));
            } else if (Option.of(key).isLabels() && entry.getValue().kind == YamlNode.Kind.MAPPING) {
                // Labels may be a mapping here, taken as it is, as well as the command line's name:value;...
                config.options.put(key, config.labels(Option.of(key), entry.getValue()));
            } else {
                config.options.put(key, config.scalar(entry.getValue(), key).trim());
            }
        }
        if (metrics != null) {
            config.readRules(metrics);
        }
    }

    /**
     * A top-level option's text however bad the rest of the file is, for {@code strict}: or
     * {@code null}. Never throws.
     */
    static String option(String file, String key) {
        try {
            YamlNode root = YamlNode.read(new StringReader(ConfigFile.text(Option.CONFIG.key, file)), new LoaderOptions());
            if (root != null && root.kind == YamlNode.Kind.MAPPING) {
                for (Map.Entry<YamlNode, YamlNode> entry : root.entries()) {
                    if (entry.getKey().kind == YamlNode.Kind.SCALAR && entry.getValue().kind == YamlNode.Kind.SCALAR
                            && key.equals(entry.getKey().text)) {
                        return entry.getValue().text;
                    }
                }
            }
        } catch (RuntimeException unreadable) {
            return null;
        }
        return null;
    }

    private static Set<String> ruleKeys(String... general) {
        Set<String> keys = new HashSet<>(PaymentPreset.KEYS);
        keys.addAll(List.of(general));
        return Set.copyOf(keys);
    }

    private void readRules(YamlNode node) {
        if (node.kind != YamlNode.Kind.SEQUENCE) {
            throw error(node, "metrics must be a list of rules (- class: ..., method: ...)");
        }
        for (YamlNode ruleNode : node.elements()) {
            Map<String, YamlNode> keys = new LinkedHashMap<>();
            for (Map.Entry<YamlNode, YamlNode> entry : mapping(ruleNode, "a rule").entries()) {
                String key = scalar(entry.getKey(), "a key");
                if (keys.containsKey(key)) {
                    throw error(entry.getKey(), "'" + key + "' is given twice in a rule");
                }
                if (!RULE_KEYS.contains(key)) {
                    throw error(entry.getKey(), "unknown key '" + key + "' in a rule; valid keys are: "
                            + String.join(", ", new TreeSet<>(RULE_KEYS)));
                }
                if (FLAGS.contains(key) && !(key.equals("in_flight") && entry.getValue().kind == YamlNode.Kind.MAPPING)) {
                    flag(key, entry.getValue());
                }
                keys.put(key, entry.getValue());
            }
            if (!keys.containsKey("class") && !keys.containsKey("extends") && !keys.containsKey("annotated")) {
                throw error(ruleNode, "a rule needs class, extends or annotated (with method, or every method is meant)");
            }
            if (keys.containsKey("remember")) {
                for (String key : keys.keySet()) {
                    if (!REMEMBERING_RULE_KEYS.contains(key)) {
                        throw error(keys.get(key), "'" + key + "' is not for a rule with remember, which records no"
                                + " metric; beside it a rule takes: " + String.join(", ", new TreeSet<>(REMEMBERING_RULE_KEYS)));
                    }
                }
            }
            String preset = text(keys, "preset");
            if (preset != null && !preset.equals(PaymentPreset.NAME)) {
                throw error(keys.get("preset"), "unknown preset '" + preset + "'; the one preset is "
                        + PaymentPreset.NAME);
            }
            if (preset == null && !keys.containsKey("name") && !keys.containsKey("histogram")
                    && !keys.containsKey("remember")) {
                throw error(ruleNode, "a rule needs a name (the base of its metric names), a histogram (its one"
                        + " metric's name), preset: " + PaymentPreset.NAME + " or remember (what it keeps for recall)");
            }
            if (keys.containsKey("histogram")) {
                for (String other : List.of("name", "preset", "outcome", "exception", "observe")) {
                    if (keys.containsKey(other)) {
                        throw error(keys.get(other), other + " is not for a rule with a histogram, which records that"
                                + " one histogram with its labels alone");
                    }
                }
                if (keys.containsKey("in_flight") && keys.get("in_flight").kind != YamlNode.Kind.MAPPING) {
                    throw error(keys.get("in_flight"), "in_flight of a rule with a histogram is {name: NAME, labels:"
                            + " [LABEL, ...]}: the gauge's exact name and which of the rule's labels it carries");
                }
            } else if (keys.containsKey("in_flight") && keys.get("in_flight").kind == YamlNode.Kind.MAPPING) {
                throw error(keys.get("in_flight"), "in_flight: {name, labels} is for a rule with a histogram; a rule"
                        + " with a name keeps NAME_in_flight with in_flight: true");
            }
            MethodRule.Nesting nesting = nesting(keys.get("nesting"));
            String group = nestingGroup(keys.get("nesting_group"), nesting);
            if (preset != null && keys.containsKey("in_flight")) {
                throw error(keys.get("in_flight"), "in_flight is for rules with a name, not for preset: " + preset);
            }
            checkKeys(keys.get("observe"), OBSERVE_KEYS, "observe");
            checkKeys(keys.get("failed_when"), FAILED_WHEN_KEYS, "failed_when");
            checkKeys(keys.get("only_when"), GATE_KEYS, "only_when");
            checkKeys(keys.get("drop_when"), GATE_KEYS, "drop_when");
            Recipe recipe = preset != null ? presetRecipe(ruleNode, keys)
                    : keys.containsKey("remember") ? remember(keys.get("remember")) : meteredRecipe(keys);
            List<ErrorRule> errors = new ArrayList<>();
            if (keys.containsKey("errors")) {
                if (recipe instanceof MeteredRecipe && !((MeteredRecipe) recipe).exception()) {
                    throw error(keys.get("errors"), "errors classify the exception label, which exception: false"
                            + " leaves out");
                }
                errors.addAll(errors(keys.get("errors"), preset != null));
            }
            if (!(recipe instanceof Remember)) {
                errors.addAll(fileErrors);
            }
            List<String> parameterTypes = keys.containsKey("parameters")
                    ? texts(sequence(keys.get("parameters"), "parameters"), "a parameter type") : null;
            List<MethodRule.Exclusion> exclusions = new ArrayList<>();
            if (keys.containsKey("exclude")) {
                for (YamlNode exclusion : sequence(keys.get("exclude"), "exclude").elements()) {
                    checkKeys(exclusion, EXCLUDE_KEYS, "an exclusion");
                    Map<String, String> entry = new LinkedHashMap<>();
                    for (Map.Entry<YamlNode, YamlNode> tuple : exclusion.entries()) {
                        entry.put(scalar(tuple.getKey(), "a key"), scalar(tuple.getValue(), "an exclusion's value"));
                    }
                    if (entry.isEmpty()) {
                        throw error(exclusion, "an exclusion needs class or method");
                    }
                    exclusions.add(new MethodRule.Exclusion(entry.get("class"), entry.get("method")));
                }
            }
            String where = shortName + " line " + ruleNode.line;
            MethodRule.Selection selection = new MethodRule.Selection(text(keys, "class"), text(keys, "extends"),
                    text(keys, "annotated"), text(keys, "method"), parameterTypes, exclusions);
            MethodRule rule = new MethodRule(where, selection, recipe, failedWhen(keys.get("failed_when")), errors,
                    nesting, group, gate(keys.get("only_when"), "only_when", true),
                    gate(keys.get("drop_when"), "drop_when", true));
            rules.add(keys.containsKey("jdk_classes") && flag("jdk_classes", keys.get("jdk_classes"))
                    ? rule.weavingJdkClasses() : rule);
        }
    }

    /** {@code nesting: outermost|all}; outermost when left out. */
    private MethodRule.Nesting nesting(YamlNode node) {
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
    private String nestingGroup(YamlNode node, MethodRule.Nesting nesting) {
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
    private MeteredRecipe meteredRecipe(Map<String, YamlNode> keys) {
        MeteredRecipe.Builder recipe = keys.containsKey("histogram") ? MeteredRecipe.histogram(text(keys, "histogram"))
                : MeteredRecipe.named(text(keys, "name"));
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
        YamlNode inFlight = keys.get("in_flight");
        if (inFlight != null && inFlight.kind == YamlNode.Kind.MAPPING) {
            checkKeys(inFlight, IN_FLIGHT_KEYS, "in_flight");
            Map<String, YamlNode> fields = fields(inFlight, "in_flight");
            if (!fields.containsKey("name")) {
                throw error(inFlight, "in_flight needs name (the gauge's exact name)");
            }
            recipe.inFlight(text(fields, "name"),
                    fields.containsKey("labels") ? texts(sequence(fields.get("labels"), "in_flight labels"), "a label name")
                            : List.of());
        } else if (inFlight != null) {
            recipe.inFlight(flag("in_flight", inFlight));
        }
        for (Map.Entry<String, String> constant : labelSpecs(keys.get("constants"), "constants").entrySet()) {
            recipe.constant(constant.getKey(), constant.getValue());
        }
        YamlNode labels = keys.get("labels");
        if (labels != null) {
            for (Map.Entry<YamlNode, YamlNode> label : mapping(labels, "labels").entries()) {
                String name = scalar(label.getKey(), "a label name");
                if (label.getValue().kind == YamlNode.Kind.MAPPING) {
                    recipe.label(name, labelObject(name, label.getValue()));
                } else {
                    recipe.label(name, recallChecked(label.getValue(), scalar(label.getValue(), "label " + name)));
                }
            }
        }
        YamlNode observe = keys.get("observe");
        if (observe != null) {
            Map<String, YamlNode> fields = fields(observe, "observe");
            if (!fields.containsKey("value")) {
                throw error(observe, "observe needs value (what is read, as a label's value is named)");
            }
            recipe.observe(new MeteredRecipe.Observe(fields.containsKey("name") ? text(fields, "name") : "",
                    text(fields, "help"), text(fields, "value"),
                    fields.containsKey("buckets") ? numbers(fields.get("buckets")) : null));
        }
        try {
            return recipe.build();
        } catch (IllegalArgumentException e) {
            throw error(inFlight != null && e.getMessage().startsWith("in_flight") ? inFlight : labels, e.getMessage());
        }
    }

    /** A rule with {@code preset: payment}: its keys are the preset's to read. */
    private Recipe presetRecipe(YamlNode ruleNode, Map<String, YamlNode> keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> key : keys.entrySet()) {
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

    /**
     * {@code failed_when: {value: return.status, equals: DECLINED}} (or not_equals, in, not_in, is_null);
     * {@code null} when left out.
     */
    private FailedWhen failedWhen(YamlNode node) {
        if (node == null) {
            return null;
        }
        return new FailedWhen(gate(node, "failed_when", false), text(fields(node, "failed_when"), "error_type"));
    }

    /**
     * {@code {value: args[0].dispatcherType, in: [REQUEST, ASYNC]}} (or equals, not_equals,
     * is_null) under {@code key}; {@code null} when left out.
     *
     * @param decides whether it must say what it compares with (a gate that holds for nothing is a mistake)
     */
    private CallGate gate(YamlNode node, String key, boolean decides) {
        if (node == null) {
            return null;
        }
        Map<String, YamlNode> fields = fields(node, key);
        if (!fields.containsKey("value")) {
            throw error(node, key + " needs value (what is read, as a label's value is named)");
        }
        List<String> texts = new ArrayList<>();
        boolean whenIn = true;
        if (fields.containsKey("equals")) {
            texts.add(text(fields, "equals"));
        } else if (fields.containsKey("not_equals")) {
            texts.add(text(fields, "not_equals"));
            whenIn = false;
        } else if (fields.containsKey("in")) {
            texts.addAll(texts(sequence(fields.get("in"), "in"), "in"));
        } else if (fields.containsKey("not_in")) {
            texts.addAll(texts(sequence(fields.get("not_in"), "not_in"), "not_in"));
            whenIn = false;
        } else if (decides && !fields.containsKey("is_null")) {
            throw error(node, key + " needs equals, not_equals, in, not_in or is_null");
        }
        return new CallGate(text(fields, "value"), texts, whenIn,
                fields.containsKey("is_null") && flag("is_null", fields.get("is_null")));
    }

    /** {@code constants:} or a rule's {@code labels:}: label names and what each label's value is. */
    private Map<String, String> labelSpecs(YamlNode node, String what) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null) {
            for (Map.Entry<YamlNode, YamlNode> label : mapping(node, what).entries()) {
                String name = scalar(label.getKey(), "a label name");
                labels.put(name, scalar(label.getValue(), "label " + name));
            }
        }
        return labels;
    }

    /**
     * A label given as a mapping: what became of the call, {@code {outcome: [SUCCESS, ERROR]}}
     * (the texts of a success and of a failure) or {@code {exception: simple_name | class_name,
     * none: none, unwrap: [TYPE, ...]}} (what it threw, as {@code errors:} classify it, and the
     * text when it threw nothing); or a label object reading values ({@link DerivedLabel}).
     */
    private LabelSource labelObject(String name, YamlNode node) {
        Map<String, YamlNode> fields = fields(node, "label " + name);
        if (fields.containsKey("outcome")) {
            onlyKeys(name, fields, Set.of("outcome"), "an outcome label");
            List<String> texts = texts(sequence(fields.get("outcome"), "outcome"), "an outcome's text");
            if (texts.size() != 2) {
                throw error(fields.get("outcome"), "outcome is two texts, of a success and of a failure:"
                        + " [SUCCESS, ERROR]");
            }
            return LabelSource.outcome(texts.get(0), texts.get(1));
        }
        if (fields.containsKey("exception")) {
            onlyKeys(name, fields, EXCEPTION_LABEL_KEYS, "an exception label");
            String naming = scalar(fields.get("exception"), "exception");
            if (!naming.equals("simple_name") && !naming.equals("class_name")) {
                throw error(fields.get("exception"), "exception names the class by simple_name or class_name, not '"
                        + naming + "'");
            }
            List<String> unwrap = fields.containsKey("unwrap")
                    ? texts(sequence(fields.get("unwrap"), "unwrap"), "an unwrapped type") : List.of();
            for (String type : unwrap) {
                if (!isClassName(type)) {
                    throw error(fields.get("unwrap"), "unwrap: '" + type + "' is not a class name (nested classes with $)");
                }
            }
            return LabelSource.exception(fields.containsKey("none") ? scalar(fields.get("none"), "none") : "none",
                    naming.equals("class_name"), unwrap);
        }
        if (!fields.containsKey("value") && !fields.containsKey("first_of")) {
            throw error(node, "label " + name + " is a value (args[0].name, return, this.name...), {value: PATH, ...},"
                    + " {first_of: [PATH, ...], ...}, {outcome: [SUCCESS, FAILURE]} or {exception: simple_name, none: none}");
        }
        onlyKeys(name, fields, VALUE_LABEL_KEYS, "a value label");
        if (fields.containsKey("value") && fields.containsKey("first_of")) {
            throw error(fields.get("first_of"), "label " + name + " reads value or first_of, not both");
        }
        List<String> specs = fields.containsKey("value") ? List.of(scalar(fields.get("value"), "value"))
                : texts(sequence(fields.get("first_of"), "first_of"), "a first_of entry");
        if (specs.isEmpty()) {
            throw error(fields.get("first_of"), "label " + name + ": first_of needs at least one value");
        }
        for (String spec : specs) {
            if (spec.startsWith("$")) {
                throw error(node, "label " + name + ": '" + spec + "' is a text already; a label object reads a value"
                        + " (args[0].name, return, this.name...)");
            }
            recallChecked(node, spec);
        }
        for (String mapOnly : List.of("other", "extract")) {
            if (fields.containsKey(mapOnly) && !fields.containsKey("map")) {
                throw error(fields.get(mapOnly), "label " + name + ": " + mapOnly + " needs map (the texts the label"
                        + " may take), so that its values stay few");
            }
        }
        DerivedLabel label = DerivedLabel.of(specs, fields.containsKey("first_of"),
                fields.containsKey("thrown") ? scalar(fields.get("thrown"), "thrown") : null,
                fields.containsKey("missing") ? scalar(fields.get("missing"), "missing") : null);
        if (readOnEntry(name, fields.get("read"), specs)) {
            label = label.readOnEntry();
        }
        return LabelSource.derived(fields.containsKey("map") ? mapped("label " + name, label, fields) : label);
    }

    /** {@code recall(OBJECT, NAME)} checked, or any other value as it is. */
    private String recallChecked(YamlNode node, String spec) {
        if (Recall.is(spec)) {
            try {
                Recall.name(spec);
            } catch (IllegalArgumentException e) {
                throw error(node, e.getMessage());
            }
        }
        return spec;
    }

    /**
     * {@code remember: {name, object, value, map, other, extract}}: the value reduced to its map
     * as a label object's is, kept for the object.
     */
    private Remember remember(YamlNode node) {
        checkKeys(node, REMEMBER_KEYS, "remember");
        Map<String, YamlNode> fields = fields(node, "remember");
        for (String key : List.of("name", "object", "value", "map")) {
            if (!fields.containsKey(key)) {
                throw error(node, "remember needs name (what recall names it by), object (return, this or args[N]:"
                        + " what the text is kept for), value (what is read) and map (the texts it may keep);"
                        + " " + key + " is missing");
            }
        }
        String name = text(fields, "name");
        if (!FamilySpec.isName(name)) {
            throw error(fields.get("name"), "remember: '" + name + "' is not a name (letters, digits and _)");
        }
        String value = recallChecked(fields.get("value"), text(fields, "value"));
        if (Recall.is(value)) {
            throw error(fields.get("value"), "remember reads a value of the call, not a recalled text");
        }
        return Remember.of(name, text(fields, "object"),
                mapped("remember " + name, DerivedLabel.of(List.of(value), false, null, null), fields));
    }

    /** A label object, or what a {@code remember:} keeps, reduced to its {@code map}, {@code extract} and {@code other}. */
    private DerivedLabel mapped(String what, DerivedLabel label, Map<String, YamlNode> fields) {
        YamlNode map = fields.get("map");
        List<String> keys = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (map.kind == YamlNode.Kind.MAPPING) {
            for (Map.Entry<YamlNode, YamlNode> entry : map.entries()) {
                keys.add(scalar(entry.getKey(), "a map key"));
                texts.add(scalar(entry.getValue(), "a map text"));
            }
        } else {
            keys.addAll(texts(sequence(map, "map"), "a map text"));
            texts.addAll(keys);
        }
        if (keys.isEmpty()) {
            throw error(map, what + ": map needs at least one text");
        }
        YamlNode extract = fields.get("extract");
        DerivedLabel.Extract part = null;
        String after = null;
        String until = null;
        if (extract != null && extract.kind == YamlNode.Kind.MAPPING && !extract.entries().isEmpty()) {
            checkKeys(extract, EXTRACT_KEYS, "extract");
            Map<String, YamlNode> bounds = fields(extract, "extract");
            part = DerivedLabel.Extract.AFTER_UNTIL;
            after = bounds.containsKey("after") ? scalar(bounds.get("after"), "after") : "";
            until = bounds.containsKey("until") ? scalar(bounds.get("until"), "until") : "";
        } else if (extract != null) {
            if (extract.kind != YamlNode.Kind.SCALAR || !extract.text.equals("sql_keyword")) {
                throw error(extract, what + ": extract is sql_keyword or {after: TEXT, until: TEXT}");
            }
            part = DerivedLabel.Extract.SQL_KEYWORD;
        }
        return label.mapped(part, after, until, keys, texts,
                fields.containsKey("other") ? scalar(fields.get("other"), "other") : null);
    }

    /** Rejects a key of a label mapping that is not one of its form's {@code allowed}. */
    private void onlyKeys(String label, Map<String, YamlNode> fields, Set<String> allowed, String form) {
        for (String key : fields.keySet()) {
            if (!allowed.contains(key)) {
                throw error(fields.get(key), "label " + label + ": '" + key + "' is not a key of " + form
                        + "; its keys are: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** A mapping's values by key (the last of a key given twice, as YAML reads it). */
    private Map<String, YamlNode> fields(YamlNode node, String what) {
        Map<String, YamlNode> fields = new LinkedHashMap<>();
        for (Map.Entry<YamlNode, YamlNode> field : mapping(node, what).entries()) {
            fields.put(scalar(field.getKey(), "a key"), field.getValue());
        }
        return fields;
    }

    /** A key's single value; {@code null} when absent. */
    private String text(Map<String, YamlNode> keys, String key) {
        YamlNode node = keys.get(key);
        return node == null ? null : scalar(node, key);
    }

    private List<String> texts(YamlNode node, String what) {
        List<String> texts = new ArrayList<>();
        for (YamlNode element : node.elements()) {
            texts.add(scalar(element, what));
        }
        return texts;
    }

    private YamlNode sequence(YamlNode node, String what) {
        if (node.kind != YamlNode.Kind.SEQUENCE) {
            throw error(node, what + " must be a list");
        }
        return node;
    }

    /**
     * {@code errors:} entries, each {@code type} and {@code error_type}, optionally
     * {@code severity} and {@code causes}.
     *
     * @param severities whether an entry may set a severity: a rule's own only where there is a
     *                   severity label (the payment preset's); the file's always, used where there is
     */
    private List<ErrorRule> errors(YamlNode node, boolean severities) {
        if (node.kind != YamlNode.Kind.SEQUENCE) {
            throw error(node, "errors must be a list of entries (- type: ..., error_type: ...)");
        }
        List<ErrorRule> entries = new ArrayList<>();
        for (YamlNode entryNode : node.elements()) {
            checkKeys(entryNode, ERROR_KEYS, "an errors entry");
            Map<String, String> entry = new HashMap<>();
            ErrorRule.Severity severity = ErrorRule.Severity.BY_NUMBER;
            boolean causes = false;
            for (Map.Entry<YamlNode, YamlNode> field : entryNode.entries()) {
                String key = scalar(field.getKey(), "a key");
                if (entry.containsKey(key)) {
                    throw error(field.getKey(), "'" + key + "' is given twice in an errors entry");
                }
                String text = scalar(field.getValue(), key);
                if (key.equals("type") && !isClassName(text)) {
                    throw error(field.getValue(), "type '" + text + "' is not a class name (nested classes with $)");
                }
                if (key.equals("error_type") && text.isEmpty()) {
                    throw error(field.getValue(), "error_type must not be empty");
                }
                if (key.equals("severity")) {
                    try {
                        severity = PaymentPreset.severity(text);
                    } catch (IllegalArgumentException e) {
                        throw error(field.getValue(), e.getMessage());
                    }
                    if (!severities) {
                        throw error(field.getKey(), "severity is the payment preset's (errors_total);"
                                + " this rule has no severity label");
                    }
                }
                if (key.equals("causes")) {
                    causes = flag(key, field.getValue());
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

    private void readGauges(YamlNode node) {
        if (node.kind != YamlNode.Kind.SEQUENCE) {
            throw error(node, "gauges must be a list of gauges (- class: ..., method: ..., name: ...)");
        }
        for (YamlNode gaugeNode : node.elements()) {
            Map<String, YamlNode> keys = new LinkedHashMap<>();
            for (Map.Entry<YamlNode, YamlNode> entry : mapping(gaugeNode, "a gauge").entries()) {
                String key = scalar(entry.getKey(), "a key");
                if (keys.containsKey(key)) {
                    throw error(entry.getKey(), "'" + key + "' is given twice in a gauge");
                }
                if (!GAUGE_KEYS.contains(key)) {
                    throw error(entry.getKey(), "unknown key '" + key + "' in a gauge; valid keys are: "
                            + String.join(", ", new TreeSet<>(GAUGE_KEYS)));
                }
                keys.put(key, entry.getValue());
            }
            String className = text(keys.get("class"), "class");
            String method = text(keys.get("method"), "method");
            String value = text(keys.get("value"), "value");
            String name = text(keys.get("name"), "name");
            if (className.isEmpty() || method.isEmpty() == value.isEmpty() || name.isEmpty()) {
                throw error(gaugeNode, "a gauge needs class, name, and method or value (one of them)");
            }
            if (!value.isEmpty() && !isInstancePath(value)) {
                throw error(keys.get("value"), "a gauge's value is a path into each instance, this.name.name...,"
                        + " not '" + value + "'");
            }
            if (className.contains("*")) {
                throw error(keys.get("class"), "a gauge's class is one class's exact name, not a pattern");
            }
            if (method.contains("*")) {
                throw error(keys.get("method"), "a gauge reads one method, named exactly, not a pattern");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            YamlNode labelsNode = keys.get("labels");
            if (labelsNode != null) {
                for (Map.Entry<YamlNode, YamlNode> label : mapping(labelsNode, "labels").entries()) {
                    String labelName = scalar(label.getKey(), "a label name");
                    if (labels.put(labelName, scalar(label.getValue(), "label " + labelName)) != null) {
                        throw error(label.getKey(), "label '" + labelName + "' is given twice");
                    }
                }
            }
            String help = keys.containsKey("help") ? scalar(keys.get("help"), "help") : null;
            gauges.add(new GaugeRule(shortName + " line " + gaugeNode.line, className,
                    method.isEmpty() ? null : method, value.isEmpty() ? null : value, name, help, labels));
        }
    }

    /** A label option given as a mapping, each label checked as the command line's {@code name:value} are. */
    private Map<String, String> labels(Option option, YamlNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<YamlNode, YamlNode> label : node.entries()) {
            String name = scalar(label.getKey(), "a label name").trim();
            String value = scalar(label.getValue(), option.key + " " + name).trim();
            try {
                option.addLabel(labels, name, value);
            } catch (IllegalArgumentException e) {
                throw error(label.getKey(), e.getMessage());
            }
        }
        return labels;
    }

    /** A single value, trimmed; empty when the key is absent. */
    private String text(YamlNode node, String what) {
        return node == null ? "" : scalar(node, what).trim();
    }

    private void checkKeys(YamlNode node, Set<String> allowed, String what) {
        if (node == null) {
            return;
        }
        for (Map.Entry<YamlNode, YamlNode> entry : mapping(node, what).entries()) {
            String key = scalar(entry.getKey(), "a key");
            if (!allowed.contains(key)) {
                throw error(entry.getKey(), "unknown key '" + key + "' in " + what + "; valid keys are: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    private boolean flag(String key, YamlNode node) {
        String text = scalar(node, key);
        if (!text.equals("true") && !text.equals("false")) {
            throw error(node, key + " must be true or false, not '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private double[] numbers(YamlNode node) {
        List<YamlNode> elements = sequence(node, "buckets").elements();
        double[] numbers = new double[elements.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = number(elements.get(i), scalar(elements.get(i), "a bucket"));
        }
        return numbers;
    }

    // this.name.name...: what a gauge's value reads of each instance.
    private static boolean isInstancePath(String path) {
        return path.startsWith("this.") && isClassName(path);
    }

    /** Whether a label object's {@code read:} says {@code entry}; {@code exit}, the default, is when every other value is read. */
    private boolean readOnEntry(String name, YamlNode read, List<String> specs) {
        if (read == null) {
            return false;
        }
        String when = scalar(read, "read");
        if (!when.equals("entry") && !when.equals("exit")) {
            throw error(read, "label " + name + ": read is entry (as the call starts) or exit (as it ends, the default), not '"
                    + when + "'");
        }
        for (String spec : specs) {
            if (when.equals("entry") && (spec.equals("return") || spec.startsWith("return."))) {
                throw error(read, "label " + name + " is read as the call starts, when there is no return value yet");
            }
        }
        return when.equals("entry");
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

    private double number(YamlNode node, String text) {
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            throw error(node, "bucket '" + text + "' is not a number");
        }
    }

    private YamlNode mapping(YamlNode node, String what) {
        if (node.kind != YamlNode.Kind.MAPPING) {
            throw error(node, what + " must be a mapping of key: value");
        }
        return node;
    }

    private String scalar(YamlNode node, String what) {
        if (node.kind != YamlNode.Kind.SCALAR) {
            throw error(node, what + " must be a single value");
        }
        return node.text;
    }

    private IllegalArgumentException error(YamlNode node, String message) {
        return new IllegalArgumentException("config=" + file + " line " + node.line + ": " + message);
    }
}
