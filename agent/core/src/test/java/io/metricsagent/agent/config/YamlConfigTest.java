package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.instrument.MethodRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void everyMistakeIsNamedWithItsLine() throws IOException {
        assertRefused("port: 1\nprot: 2\n", "line 2: unknown option 'prot'; valid options are: port, host, interval,"
                + " native_histograms, host_metrics, max_series, max_label_length, strict, auth_user, auth_password_file,"
                + " auth_password_env, tls_keystore, tls_keystore_password_file, tls_keystore_password_env, watch_config, metrics");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    lables: {}\n",
                "line 5: unknown key 'lables' in a rule; valid keys are: amount, annotated, buckets, class, constants,"
                        + " currency, exception, exclude, extends, failed_when, gateway, help, labels, method, name, observe,"
                        + " outcome, parameters, payment_method, preset, service, severity_above, user_tier");
        assertRefused("metrics:\n  - method: m\n    name: x\n",
                "line 2: a rule needs class, extends or annotated (with method, or every method is meant)");
        assertRefused("metrics:\n  - class: A\n    exclude: {class: B}\n    name: x\n", "line 3: exclude must be a list");
        assertRefused("metrics:\n  - class: A\n    exclude: [{klass: B}]\n    name: x\n",
                "line 3: unknown key 'klass' in an exclusion; valid keys are: class, method");
        assertRefused("metrics:\n  - class: A\n    exclude: [{}]\n    name: x\n", "line 3: an exclusion needs class or method");
        assertRefused("metrics:\n  - class: A\n    parameters: int\n    name: x\n", "line 3: parameters must be a list");
        assertRefused("metrics:\n  - class: A\n    method: m\n", "line 2: a rule needs a name (the base of its metric"
                + " names) or preset: payment");
        assertRefused("metrics:\n  - class: A\n    method: m\n    preset: orders\n",
                "line 4: unknown preset 'orders'; the one preset is payment");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    outcome: maybe\n",
                "line 5: outcome must be true or false, not 'maybe'");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    failed_when: {value: return, equal: X}\n",
                "line 5: unknown key 'equal' in failed_when; valid keys are: equals, error_type, in, is_null,"
                        + " not_equals, value");
        assertRefused("metrics:\n  - class: A\n    method: m\n    name: x\n    buckets: [1, two]\n",
                "line 5: bucket 'two' is not a number");
        assertRefused("metrics: {class: A}\n", "line 1: metrics must be a list of rules (- class: ..., method: ...)");
        assertRefused("port: [1, 2]\n", "line 1: port must be a single value");
        assertRefused("port: 1\nport: 2\n", "line 2: 'port' is given twice");
        String broken = file("port: 1\nmetrics: [{class: A\n");
        String syntax = AgentOptions.parse("config=" + broken).configProblem();
        assertTrue(syntax.startsWith("config=" + broken + " line 3: "), syntax);
    }

    @Test
    void strictIsReadFromAYamlFileEvenWhenTheRestIsBad() throws IOException {
        String file = file("strict: true\nprot: 1\n");
        assertTrue(AgentOptions.strictRequested("config=" + file));
    }
}
