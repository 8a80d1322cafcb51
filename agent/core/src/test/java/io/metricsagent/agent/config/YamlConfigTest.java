package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.description.AnnotatedMethod;
import io.metricsagent.agent.description.CallGate;
import io.metricsagent.agent.description.DerivedLabel;
import io.metricsagent.agent.description.ErrorRule;
import io.metricsagent.agent.description.FailedWhen;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.description.MeteredRecipe;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.PaymentPreset;
import io.metricsagent.agent.description.RuleReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.error.YAMLException;

/** The YAML configuration file: options, rules, and each mistake named with its line. */
class YamlConfigTest {

    @TempDir
    Path dir;

    private String file(String yaml) throws IOException {
        Path file = dir.resolve("metrics-agent.yml");
        Files.writeString(file, yaml);
        return file.toString();
    }

    /** The file is left out, with what is wrong with it. */
    private void assertRefused(String yaml, String expected) throws IOException {
        String file = file(yaml);
        AgentOptions options = AgentOptions.parse("config=" + file);
        assertEquals("config=" + file + " " + expected, options.configProblem());
        assertEquals(List.of(), options.rules());
        assertEquals(List.of(), options.gauges());
    }

    @Test
    void optionsAndRulesAreReadAndTheCommandLineWins() throws IOException {
        String file = file(""
                + "port: 9100\n"
                + "interval: 7\n"
                + "metrics:\n"
                + "  - class: com.shop.Orders\n"
                + "    method: place\n"
                + "    parameters: [com.shop.Order, int]\n"
                + "    name: orders\n"
                + "    labels: {tier: order.customer.tier}\n"
                + "    failed_when: {value: return.status, in: [DECLINED, VOID]}\n"
                + "  - class: com.shop.legacy.*\n"
                + "    method: '*'\n"
                + "    preset: payment\n"
                + "    amount: args[0]\n");
        AgentOptions options = AgentOptions.parse("config=" + file + ",port=9200");
        assertEquals(9200, options.port());
        assertEquals(7, options.intervalSeconds());
        List<MethodRule> rules = options.rules();
        assertEquals(2, rules.size());
        assertEquals("metrics-agent.yml line 4", rules.get(0).where());
        assertTrue(rules.get(0).selectsClassName("com.shop.Orders"));
        assertEquals(false, rules.get(0).selectsClassName("com.shop.OrdersX"));
        assertEquals("metrics-agent.yml line 10", rules.get(1).where());
        assertTrue(rules.get(1).selectsClassName("com.shop.legacy.Gateway"));
        assertTrue(rules.get(1).selectsClassName("com.shop.legacy.v2.Gateway"));
        assertEquals(false, rules.get(1).selectsClassName("com.shop.Gateway"));
    }

    @Test
    void aRuleIsReadIntoWhatItSelectsAndRecords() throws IOException {
        String file = file(""
                + "errors:\n"
                + "  - {type: java.io.IOException, error_type: io, severity: high}\n"
                + "metrics:\n"
                + "  - class: com.shop.Orders\n"
                + "    method: place\n"
                + "    exclude: [{method: toString}]\n"
                + "    name: orders\n"
                + "    help: Orders placed\n"
                + "    buckets: [0.1, 1]\n"
                + "    outcome: false\n"
                + "    constants: {shop: eu}\n"
                + "    labels: {tier: order.tier, kind: $method}\n"
                + "    observe: {name: order_value, value: order.value, buckets: [10, 100]}\n"
                + "    failed_when: {value: return.status, not_equals: OK, is_null: true, error_type: refused}\n"
                + "    nesting_group: shop\n"
                + "    in_flight: true\n"
                + "    errors: [{type: com.shop.Late, error_type: late, causes: true}]\n");
        MethodRule expected = new MethodRule("anywhere",
                new MethodRule.Selection("com.shop.Orders", null, null, "place", null,
                        List.of(new MethodRule.Exclusion(null, "toString"))),
                MeteredRecipe.named("orders").help("Orders placed").buckets(new double[] {0.1, 1}).outcome(false)
                        .constant("shop", "eu").label("tier", "order.tier").label("kind", "$method")
                        .observe(new MeteredRecipe.Observe("order_value", null, "order.value", new double[] {10, 100}))
                        .inFlight(true).build(),
                new FailedWhen("return.status", List.of("OK"), false, true, "refused"),
                List.of(new ErrorRule("com.shop.Late", "late", ErrorRule.Severity.BY_NUMBER, true),
                        new ErrorRule("java.io.IOException", "io", ErrorRule.Severity.ABOVE, false)),
                MethodRule.Nesting.OUTERMOST, "shop");
        assertEquals(List.of(expected), AgentOptions.parse("config=" + file).rules());
        assertEquals(List.of(new MethodRule("anywhere", new MethodRule.Selection("com.shop.Pay", null, null, null, null,
                        List.of()), PaymentPreset.recipe(Map.of("gateway", "stripe", "amount", "args[0]")), null, List.of(),
                        MethodRule.Nesting.ALL, null)),
                AgentOptions.parse("config=" + file("metrics:\n  - {class: com.shop.Pay, preset: payment, gateway: stripe,"
                        + " amount: 'args[0]', nesting: all}\n")).rules());
    }

    @Test
    void callGatesAreReadAsFailedWhenIs() throws IOException {
        String file = file(""
                + "metrics:\n"
                + "  - extends: javax.servlet.Filter\n"
                + "    method: doFilter\n"
                + "    name: requests\n"
                + "    nesting_group: http_server\n"
                + "    only_when:\n"
                + "      value: args[0].dispatcherType\n"
                + "      in: [REQUEST, ASYNC]\n"
                + "    drop_when: {value: 'args[0].asyncStarted', equals: 'true'}\n"
                + "  - class: com.shop.Orders\n"
                + "    name: orders\n"
                + "    only_when: {value: this.tenant, not_equals: test, is_null: true}\n"
                + "  - class: com.shop.Carts\n"
                + "    name: carts\n"
                + "    only_when: {value: this.tenant, not_in: [test, demo]}\n");
        AgentOptions options = AgentOptions.parse("config=" + file);
        assertEquals(null, options.configProblem());
        assertEquals(List.of(
                new MethodRule("anywhere", new MethodRule.Selection(null, "javax.servlet.Filter", null, "doFilter", null,
                        List.of()), MeteredRecipe.named("requests").build(), null, List.of(), MethodRule.Nesting.OUTERMOST,
                        "http_server", new CallGate("args[0].dispatcherType", List.of("REQUEST", "ASYNC"), true, false),
                        new CallGate("args[0].asyncStarted", List.of("true"), true, false)),
                new MethodRule("anywhere", new MethodRule.Selection("com.shop.Orders", null, null, null, null, List.of()),
                        MeteredRecipe.named("orders").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null,
                        new CallGate("this.tenant", List.of("test"), false, true), null),
                new MethodRule("anywhere", new MethodRule.Selection("com.shop.Carts", null, null, null, null, List.of()),
                        MeteredRecipe.named("carts").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null,
                        new CallGate("this.tenant", List.of("test", "demo"), false, false), null)),
                options.rules());
        // A gate is part of what a rule is: a reload that changes one weaves again.
        assertNotEquals(options.rules().get(1), new MethodRule("anywhere",
                new MethodRule.Selection("com.shop.Orders", null, null, null, null, List.of()),
                MeteredRecipe.named("orders").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null));
    }

    @Test
    void anchorsAndAliasesAreRead() throws IOException {
        String file = file(""
                + "labels: &shop {env: prod, region: eu}\n"
                + "push_url: http://gw:9091\n"
                + "push_job: nightly\n"
                + "push_grouping: *shop\n"
                + "interval: &seven 7\n"
                + "push_interval: *seven\n");
        AgentOptions options = AgentOptions.parse("config=" + file);
        assertEquals(null, options.configProblem());
        assertEquals(Map.of("env", "prod", "region", "eu"), options.pushGrouping());
        assertEquals(7, options.pushIntervalSeconds());
        String bomb = file("a: &a [x]\nlabels: {b: *a, c: *a, d: *a, e: *a, f: *a, g: *a, h: *a, i: *a, j: *a, k: *a, l: *a}\n");
        String problem = AgentOptions.parse("config=" + bomb).configProblem();
        assertTrue(problem.endsWith(" cannot be read: " + YAMLException.class.getName()
                + ": Number of aliases for non-scalar nodes exceeds the specified max=10"), problem);
    }

    @Test
    void everyMistakeIsNamedWithItsLine() throws IOException {
        assertRefused("port: 1\nprot: 2\n", "line 2: unknown option 'prot'; valid options are: port, host, interval,"
                + " host_metrics, jvm_metrics, native_histograms, exemplars, max_series, max_label_length, strict, watch_config, watch_interval_ms, presets,"
                + " auth_user, auth_password_file, auth_password_env, tls_keystore, tls_keystore_password_file,"
                + " tls_keystore_password_env, labels, push_url, push_job, push_grouping, push_interval, push_timeout,"
                + " push_auth_user, push_auth_password_file, push_auth_password_env, push_tls_truststore,"
                + " push_tls_truststore_password_file, push_tls_truststore_password_env, metrics, errors, gauges");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    lables: {}\n",
                "line 5: unknown key 'lables' in a rule; valid keys are: amount, annotated, buckets, class, constants,"
                        + " currency, drop_when, errors, exception, exclude, extends, failed_when, gateway, help, histogram, in_flight, jdk_classes,"
                        + " labels, method, name, nesting, nesting_group, observe, only_when, outcome, parameters, payment_method,"
                        + " preset, remember, service,"
                        + " severity_above, user_tier");
        assertRefused("metrics:\n  - class: A\n    name: x\n    nesting: innermost\n",
                "line 4: nesting must be outermost or all, not 'innermost'");
        assertRefused("metrics:\n  - class: A\n    name: x\n    nesting: all\n    nesting_group: jdbc\n",
                "line 5: nesting_group counts the outermost call of its group, which nesting: all contradicts");
        assertRefused("metrics:\n  - class: A\n    name: x\n    nesting_group: [a]\n",
                "line 4: nesting_group must be a single value");
        assertRefused("metrics:\n  - class: A\n    name: x\n    in_flight: yes\n",
                "line 4: in_flight must be true or false, not 'yes'");
        assertRefused("metrics:\n  - class: A\n    preset: payment\n    in_flight: true\n",
                "line 4: in_flight is for rules with a name, not for preset: payment");
        assertRefused("metrics:\n  - method: m\n    name: x\n",
                "line 2: a rule needs class, extends or annotated (with method, or every method is meant)");
        assertRefused("metrics:\n  - class: A\n    exclude: {class: B}\n    name: x\n", "line 3: exclude must be a list");
        assertRefused("metrics:\n  - class: A\n    exclude: [{klass: B}]\n    name: x\n",
                "line 3: unknown key 'klass' in an exclusion; valid keys are: class, method");
        assertRefused("metrics:\n  - class: A\n    exclude: [{}]\n    name: x\n", "line 3: an exclusion needs class or method");
        assertRefused("metrics:\n  - class: A\n    parameters: int\n    name: x\n", "line 3: parameters must be a list");
        assertRefused("metrics:\n  - class: A\n    method: m\n", "line 2: a rule needs a name (the base of its metric"
                + " names), a histogram (its one metric's name), preset: payment or remember (what it keeps for recall)");
        String remember = "metrics:\n  - class: A\n    method: prepare\n    remember: ";
        assertRefused(remember + "{name: op, object: return, value: 'args[0]'}\n", "line 4: remember needs name (what"
                + " recall names it by), object (return, this or args[N]: what the text is kept for), value (what is"
                + " read) and map (the texts it may keep); map is missing");
        assertRefused(remember + "{name: sql op, object: return, value: 'args[0]', map: [SELECT]}\n",
                "line 4: remember: 'sql op' is not a name (letters, digits and _)");
        assertRefused(remember + "{name: op, object: return, value: 'args[0]', map: [SELECT], missing: x}\n",
                "line 4: unknown key 'missing' in remember; valid keys are: extract, map, name, object, other, value");
        assertRefused(remember + "{name: op, object: this, value: 'recall(this, op)', map: [SELECT]}\n",
                "line 4: remember reads a value of the call, not a recalled text");
        assertRefused(remember + "{name: op, object: return, value: 'args[0]', map: [SELECT]}\n    name: x\n",
                "line 5: 'name' is not for a rule with remember, which records no metric; beside it a rule takes:"
                        + " annotated, class, exclude, extends, method, nesting, nesting_group, parameters, remember");
        assertRefused("metrics:\n  - class: A\n    histogram: a_seconds\n    labels: {op: 'recall(this)'}\n",
                "line 4: 'recall(this)' is not recall(OBJECT, NAME)");
        assertRefused("metrics:\n  - class: A\n    histogram: a_seconds\n    labels: {op: {first_of: ['recall(, op)']}}\n",
                "line 4: 'recall(, op)' is not recall(OBJECT, NAME): OBJECT is this, args[N] or a path into them, NAME"
                        + " the name a remember: rule gives");
        assertRefused("metrics:\n  - class: A\n    histogram: a_seconds\n    outcome: false\n",
                "line 4: outcome is not for a rule with a histogram, which records that one histogram with its labels alone");
        assertRefused("metrics:\n  - class: A\n    histogram: a_seconds\n    labels: {o: {outcome: [OK]}}\n",
                "line 4: outcome is two texts, of a success and of a failure: [SUCCESS, ERROR]");
        assertRefused("metrics:\n  - class: A\n    histogram: a_seconds\n    labels: {e: {exception: full_name}}\n",
                "line 4: exception names the class by simple_name or class_name, not 'full_name'");
        assertRefused("metrics:\n  - class: A\n    histogram: a_seconds\n    labels: {e: {values: x}}\n",
                "line 4: label e is a value (args[0].name, return, this.name...), {value: PATH, ...},"
                        + " {first_of: [PATH, ...], ...}, {outcome: [SUCCESS, FAILURE]} or {exception: simple_name, none: none}");
        assertRefused("metrics:\n  - class: A\n    method: m\n    preset: orders\n",
                "line 4: unknown preset 'orders'; the one preset is payment");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    outcome: maybe\n",
                "line 5: outcome must be true or false, not 'maybe'");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    failed_when: {value: return, equal: X}\n",
                "line 5: unknown key 'equal' in failed_when; valid keys are: equals, error_type, in, is_null,"
                        + " not_equals, not_in, value");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    buckets: [1, two]\n",
                "line 5: bucket 'two' is not a number");
        assertRefused("metrics:\n  - class: A\n    name: x\n    buckets: 5\n", "line 4: buckets must be a list");
        assertRefused("metrics:\n  - class: A\n    name: x\n    observe: {name: y}\n",
                "line 4: observe needs value (what is read, as a label's value is named)");
        assertRefused("metrics:\n  - class: A\n    name: x\n    failed_when: {equals: X}\n",
                "line 4: failed_when needs value (what is read, as a label's value is named)");
        assertRefused("metrics:\n  - class: A\n    name: x\n    failed_when: {value: return, in: X}\n",
                "line 4: in must be a list");
        assertRefused("metrics:\n  - class: A\n    name: x\n    only_when: {value: this.state}\n",
                "line 4: only_when needs equals, not_equals, in, not_in or is_null");
        assertRefused("metrics:\n  - class: A\n    name: x\n    drop_when: {equals: X}\n",
                "line 4: drop_when needs value (what is read, as a label's value is named)");
        assertRefused("metrics:\n  - class: A\n    name: x\n    drop_when: {value: this.state, error_type: X}\n",
                "line 4: unknown key 'error_type' in drop_when; valid keys are: equals, in, is_null, not_equals, not_in,"
                        + " value");
        assertRefused("metrics:\n  - class: A\n    name: x\n    labels: {tier: [a]}\n", "line 4: label tier must be a single value");
        assertRefused("metrics:\n  - class: A\n    preset: payment\n    severity_above: lots\n",
                "line 2: severity_above 'lots' is not a number");
        assertRefused("metrics: {class: A}\n", "line 1: metrics must be a list of rules (- class: ..., method: ...)");
        assertRefused("port: [1, 2]\n", "line 1: port must be a single value");
        assertRefused("port: 1\nport: 2\n", "line 2: 'port' is given twice");
        assertRefused("port: *p\n", "line 1: found undefined alias p");
        assertRefused("port: 1\n---\nport: 2\n", "line 2: but found another document");
        assertRefused("labels: &l {env: [a, *l]}\n", "line 1: found undefined alias l");
        String broken = file("port: 1\nmetrics: [{class: A\n");
        String syntax = AgentOptions.parse("config=" + broken).configProblem();
        assertTrue(syntax.startsWith("config=" + broken + " line 3: "), syntax);
    }

    @Test
    void labelObjectsAreReadWithTheirForms() throws IOException {
        String file = file(""
                + "metrics:\n"
                + "  - class: com.shop.Web\n"
                + "    method: serve\n"
                + "    histogram: web_seconds\n"
                + "    in_flight: {name: web_active, labels: [method, shop]}\n"
                + "    constants: {shop: eu}\n"
                + "    labels:\n"
                + "      status: {value: 'args[1].status', thrown: '500'}\n"
                + "      route: {first_of: ['args[0].pattern', 'args[0].path'], missing: ''}\n"
                + "      method: {value: 'args[0].method', map: [GET, POST], other: _OTHER}\n"
                + "      system: {value: this.url, extract: {after: 'jdbc:', until: ':'}, map: {h2: h2, oracle: oracle.db}}\n"
                + "      op: {value: 'args[2]', extract: sql_keyword, map: [SELECT], missing: none}\n"
                + "      error_type: {exception: class_name, none: '', unwrap: [com.shop.Wrapped]}\n"
                + "      outcome: {outcome: [SUCCESS, ERROR]}\n");
        MethodRule expected = new MethodRule("anywhere",
                new MethodRule.Selection("com.shop.Web", null, null, "serve", null, List.of()),
                MeteredRecipe.histogram("web_seconds").constant("shop", "eu")
                        .label("status", LabelSource.derived(DerivedLabel.of(List.of("args[1].status"), false, "500", null)))
                        .label("route", LabelSource.derived(
                                DerivedLabel.of(List.of("args[0].pattern", "args[0].path"), true, null, "")))
                        .label("method", LabelSource.derived(DerivedLabel.of(List.of("args[0].method"), false, null, null)
                                .mapped(null, null, null, List.of("GET", "POST"), List.of("GET", "POST"), "_OTHER")))
                        .label("system", LabelSource.derived(DerivedLabel.of(List.of("this.url"), false, null, null)
                                .mapped(DerivedLabel.Extract.AFTER_UNTIL, "jdbc:", ":", List.of("h2", "oracle"),
                                        List.of("h2", "oracle.db"), null)))
                        .label("op", LabelSource.derived(DerivedLabel.of(List.of("args[2]"), false, null, "none")
                                .mapped(DerivedLabel.Extract.SQL_KEYWORD, null, null, List.of("SELECT"), List.of("SELECT"),
                                        "other")))
                        .label("error_type", LabelSource.exception("", true, List.of("com.shop.Wrapped")))
                        .label("outcome", LabelSource.outcome("SUCCESS", "ERROR"))
                        .inFlight("web_active", List.of("method", "shop")).build(),
                null, List.of(), MethodRule.Nesting.OUTERMOST, null);
        assertEquals(List.of(expected), AgentOptions.parse("config=" + file).rules());
    }

    @Test
    void everyMistakeInALabelObjectIsNamedWithItsLine() throws IOException {
        String rule = "metrics:\n  - class: A\n    histogram: a_seconds\n    labels:\n      l: ";
        assertRefused(rule + "{value: x, first_of: [y]}\n", "line 5: label l reads value or first_of, not both");
        assertRefused(rule + "{first_of: []}\n", "line 5: label l: first_of needs at least one value");
        assertRefused(rule + "{first_of: x}\n", "line 5: first_of must be a list");
        assertRefused(rule + "{value: $class, map: [A]}\n", "line 5: label l: '$class' is a text already; a label"
                + " object reads a value (args[0].name, return, this.name...)");
        assertRefused(rule + "{value: x, other: o}\n", "line 5: label l: other needs map (the texts the label may take),"
                + " so that its values stay few");
        assertRefused(rule + "{value: x, extract: sql_keyword}\n", "line 5: label l: extract needs map (the texts the"
                + " label may take), so that its values stay few");
        assertRefused(rule + "{value: x, map: []}\n", "line 5: label l: map needs at least one text");
        assertRefused(rule + "{value: x, map: [A], extract: first_word}\n",
                "line 5: label l: extract is sql_keyword or {after: TEXT, until: TEXT}");
        assertRefused(rule + "{value: x, map: [A], extract: {before: ':'}}\n",
                "line 5: unknown key 'before' in extract; valid keys are: after, until");
        assertRefused(rule + "{value: x, none: ''}\n", "line 5: label l: 'none' is not a key of a value label; its keys"
                + " are: extract, first_of, map, missing, other, read, thrown, value");
        assertRefused(rule + "{exception: class_name, map: [A]}\n", "line 5: label l: 'map' is not a key of an exception"
                + " label; its keys are: exception, none, unwrap");
        assertRefused(rule + "{outcome: [OK, KO], none: x}\n", "line 5: label l: 'none' is not a key of an outcome label;"
                + " its keys are: outcome");
        assertRefused(rule + "{exception: simple_name, unwrap: [a..b]}\n",
                "line 5: unwrap: 'a..b' is not a class name (nested classes with $)");
        assertRefused("metrics:\n  - class: A\n    name: a\n    labels:\n      l: {exception: class_name}\n",
                "line 5: label l: class_name and unwrap are for a rule with a histogram or exception: false; this rule's"
                        + " exception label is the simple name");
        assertRefused(rule + "{exception: class_name}\n      m: {exception: simple_name}\n",
                "line 5: label m names the exception otherwise than an earlier label: a rule names it one way");
    }

    @Test
    void anInFlightGaugeOfAHistogramCarriesLabelsKnownOnEntry() throws IOException {
        String rule = "metrics:\n  - class: A\n    histogram: a_seconds\n    labels:\n"
                + "      r: return.code\n      s: {value: 'args[0]', thrown: '500'}\n      e: {exception: simple_name}\n"
                + "      f: {first_of: ['args[0]', return]}\n      p: 'args[0].path'\n";
        assertRefused(rule + "    in_flight: true\n", "line 10: in_flight of a rule with a histogram is {name: NAME, labels:"
                + " [LABEL, ...]}: the gauge's exact name and which of the rule's labels it carries");
        assertRefused(rule + "    in_flight: {labels: [p]}\n", "line 10: in_flight needs name (the gauge's exact name)");
        assertRefused(rule + "    in_flight: {name: a, label: [p]}\n",
                "line 10: unknown key 'label' in in_flight; valid keys are: labels, name");
        assertRefused(rule + "    in_flight: {name: a, labels: [r]}\n",
                "line 10: in_flight label r is not known when a call starts: it reads the return value");
        assertRefused(rule + "    in_flight: {name: a, labels: [s]}\n",
                "line 10: in_flight label s is not known when a call starts: its thrown text is decided at the end");
        assertRefused(rule + "    in_flight: {name: a, labels: [e]}\n",
                "line 10: in_flight label e is not known when a call starts: it is the call's outcome or exception");
        assertRefused(rule + "    in_flight: {name: a, labels: [f]}\n",
                "line 10: in_flight label f is not known when a call starts: it reads the return value");
        assertRefused(rule + "    in_flight: {name: a, labels: [q]}\n",
                "line 10: in_flight label q is not one of the rule's labels");
        assertRefused("metrics:\n  - class: A\n    name: a\n    in_flight: {name: a}\n",
                "line 4: in_flight: {name, labels} is for a rule with a histogram; a rule with a name keeps"
                        + " NAME_in_flight with in_flight: true");
        String file = file(rule + "    in_flight: {name: a_active, labels: [p]}\n");
        assertEquals(null, AgentOptions.parse("config=" + file).configProblem());
    }

    /** Each rule's errors, then the file's, as the rule reads them for a method. */
    private static String errors(MethodRule rule) {
        AnnotatedMethod method = new AnnotatedMethod("com.shop.Orders", "place", List.of("double"),
                Arrays.asList("amount"), "java.lang.String", Map.of(), List.of(Map.of()), Set.of());
        return RuleReader.read(rule, method).errors().stream()
                .map(e -> e.type() + ">" + e.errorType() + (e.causes() ? " causes" : "")
                        + (e.severity() == ErrorRule.Severity.BY_NUMBER ? "" : e.severity() == ErrorRule.Severity.ABOVE ? " above" : " otherwise"))
                .collect(Collectors.joining(", "));
    }

    @Test
    void errorsAreTheRulesOwnThenTheFiles() throws IOException {
        String file = file(""
                + "errors:\n"
                + "  - type: java.io.IOException\n"
                + "    error_type: io\n"
                + "    severity: medium\n"
                + "metrics:\n"
                + "  - class: com.shop.Orders\n"
                + "    method: place\n"
                + "    name: orders\n"
                + "    errors:\n"
                + "      - type: java.util.concurrent.TimeoutException\n"
                + "        error_type: timeout\n"
                + "        causes: true\n"
                + "  - class: com.shop.Orders\n"
                + "    method: place\n"
                + "    preset: payment\n"
                + "    amount: amount\n"
                + "    errors:\n"
                + "      - {type: com.shop.Declined$Hard, error_type: declined, severity: high, causes: false}\n"
                + "  - class: com.shop.Orders\n"
                + "    method: place\n"
                + "    name: plain\n");
        List<MethodRule> rules = AgentOptions.parse("config=" + file).rules();
        // A rule with no severity label leaves the file's severity unused.
        assertEquals("java.util.concurrent.TimeoutException>timeout causes, java.io.IOException>io", errors(rules.get(0)));
        assertEquals("com.shop.Declined$Hard>declined above, java.io.IOException>io otherwise", errors(rules.get(1)));
        assertEquals("java.io.IOException>io", errors(rules.get(2)));
    }

    @Test
    void everyMistakeInErrorsIsNamedWithItsLine() throws IOException {
        String rule = "metrics:\n  - class: A\n    method: m\n    name: x\n";
        assertRefused(rule + "    errors:\n      - {type: a.B, error_type: b, cause: true}\n",
                "line 6: unknown key 'cause' in an errors entry; valid keys are: causes, error_type, severity, type");
        assertRefused(rule + "    errors:\n      - type: a.B\n", "line 6: an errors entry needs type and error_type");
        assertRefused(rule + "    errors:\n      - {type: a.B-C, error_type: b}\n",
                "line 6: type 'a.B-C' is not a class name (nested classes with $)");
        assertRefused(rule + "    errors:\n      - {type: a.B, error_type: ''}\n", "line 6: error_type must not be empty");
        assertRefused(rule + "    errors:\n      - {type: a.B, error_type: b, causes: yes}\n",
                "line 6: causes must be true or false, not 'yes'");
        assertRefused(rule + "    errors:\n      - {type: a.B, error_type: b, severity: high}\n",
                "line 6: severity is the payment preset's (errors_total); this rule has no severity label");
        assertRefused(rule + "    exception: false\n    errors:\n      - {type: a.B, error_type: b}\n",
                "line 7: errors classify the exception label, which exception: false leaves out");
        assertRefused(rule + "    errors: {type: a.B, error_type: b}\n",
                "line 5: errors must be a list of entries (- type: ..., error_type: ...)");
        assertRefused("errors:\n  - type: a.B\n    error_type: b\n    severity: low\n" + rule,
                "line 4: severity must be high or medium, not 'low'");
        assertRefused("errors:\n  - type: a.B\n    error_type: [b]\n", "line 3: error_type must be a single value");
    }

    @Test
    void gaugesAreReadWithTheirLines() throws IOException {
        String file = file(""
                + "gauges:\n"
                + "  - class: com.shop.LegacyGateway\n"
                + "    method: pendingCharges\n"
                + "    name: legacy_pending_charges\n"
                + "    help: Charges in flight\n"
                + "    labels: {gateway: legacy, zone: 7}\n"
                + "  - {class: com.shop.Pool$Main, method: size, name: pool_size}\n");
        List<GaugeRule> gauges = AgentOptions.parse("config=" + file).gauges();
        assertEquals(2, gauges.size());
        GaugeRule first = gauges.get(0);
        assertEquals("metrics-agent.yml line 2", first.where());
        assertEquals("com.shop.LegacyGateway", first.className());
        assertEquals("pendingCharges", first.method());
        assertEquals("legacy_pending_charges", first.name());
        assertEquals("Charges in flight", first.help());
        assertEquals(List.of(Map.entry("gateway", "legacy"), Map.entry("zone", "7")), List.copyOf(first.labels().entrySet()));
        GaugeRule second = gauges.get(1);
        assertEquals("metrics-agent.yml line 7", second.where());
        assertEquals("com.shop.Pool$Main", second.className());
        assertEquals(null, second.help());
        assertEquals(Map.of(), second.labels());
    }

    @Test
    void everyMistakeInAGaugeIsNamedWithItsLine() throws IOException {
        String gauge = "gauges:\n  - class: A\n    method: m\n";
        assertRefused(gauge + "    name: x\n    lables: {}\n",
                "line 5: unknown key 'lables' in a gauge; valid keys are: class, help, labels, method, name, value");
        assertRefused(gauge, "line 2: a gauge needs class, name, and method or value (one of them)");
        assertRefused("gauges:\n  - class: A\n    name: x\n", "line 2: a gauge needs class, name, and method or value (one of them)");
        assertRefused("gauges:\n  - method: m\n    name: x\n", "line 2: a gauge needs class, name, and method or value (one of them)");
        assertRefused(gauge + "    name:\n", "line 2: a gauge needs class, name, and method or value (one of them)");
        assertRefused(gauge + "    value: this.size\n    name: x\n",
                "line 2: a gauge needs class, name, and method or value (one of them)");
        assertRefused("gauges:\n  - class: A\n    value: config.size\n    name: x\n",
                "line 3: a gauge's value is a path into each instance, this.name.name..., not 'config.size'");
        assertRefused("gauges:\n  - class: A\n    value: this.\n    name: x\n",
                "line 3: a gauge's value is a path into each instance, this.name.name..., not 'this.'");
        assertRefused("gauges:\n  - class: com.shop.*\n    method: m\n    name: x\n",
                "line 2: a gauge's class is one class's exact name, not a pattern");
        assertRefused("gauges:\n  - class: A\n    method: get*\n    name: x\n",
                "line 3: a gauge reads one method, named exactly, not a pattern");
        assertRefused(gauge + "    name: x\n    labels: [a, b]\n", "line 5: labels must be a mapping of key: value");
        assertRefused(gauge + "    name: x\n    labels: {a: [1]}\n", "line 5: label a must be a single value");
        assertRefused(gauge + "    name: x\n    help: x\n    help: y\n", "line 6: 'help' is given twice in a gauge");
        assertRefused("gauges: {class: A}\n", "line 1: gauges must be a list of gauges (- class: ..., method: ..., name: ...)");
        assertRefused("gauges:\n  - A\n", "line 2: a gauge must be a mapping of key: value");
    }

    @Test
    void strictIsReadFromAYamlFileEvenWhenTheRestIsBad() throws IOException {
        String file = file("strict: true\nprot: 1\n");
        assertTrue(AgentOptions.strictRequested("config=" + file));
    }

    @Test
    void labelOptionsAreMappingsOrTheCommandLinesText() throws IOException {
        AgentOptions options = AgentOptions.parse("config=" + file(""
                + "labels: {env: prod, region: eu}\n"
                + "push_url: http://gw:9091\n"
                + "push_job: nightly\n"
                + "push_grouping:\n"
                + "  instance: batch-1\n"));
        assertEquals(null, options.configProblem());
        assertEquals(Map.of("env", "prod", "region", "eu"), options.labels());
        assertEquals(Map.of("instance", "batch-1"), options.pushGrouping());
        assertEquals(Map.of("env", "dev"), AgentOptions.parse("config=" + file("labels: env:dev\n")).labels());
        assertEquals(Map.of("zone", "b"), AgentOptions.parse("config=" + file("labels: {env: prod}\n") + ",labels=zone:b")
                .labels());
        // A mapping is read as it is, not as the command line's text: its values may hold ';'.
        assertEquals(Map.of("env", "prod", "region", "eu;us"),
                AgentOptions.parse("config=" + file("labels:\n  env: prod\n  region: eu;us\n")).labels());
        assertRefused("labels: {'a:b': x}\n", "line 1: labels: 'a:b' is not a valid label name"
                + " ([a-zA-Z_][a-zA-Z0-9_]*, not starting __)");
        assertRefused("labels: {env: [a, b]}\n", "line 1: labels env must be a single value");
        assertRefused("labels: {job: x}\n", "line 1: labels: 'job' is not allowed: instance, job, le, quantile are"
                + " Prometheus' own");
        assertRefused("push_grouping: {env: a, env: b}\n", "line 1: push_grouping: 'env' is given twice");
        assertRefused("labels: {env: ''}\n", "line 1: labels: 'env' has an empty value");
    }
}
