package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Methods metered by the configuration file alone: the sample's legacy gateway client carries no
 * annotation; {@code sample-app/metrics-agent.yml} picks one of its two overloads by parameter
 * types, takes labels from getter paths into the argument, from {@code this} and from the return
 * value, observes an amount, counts a declined receipt as a failure though nothing is thrown, and
 * reads what the client has charged as a gauge. A static method of a plugin ({@code it/plugin-app})
 * is read as a gauge too, until the plugin is unloaded.
 */
class ConfigIT {

    private static final int REQUESTS = 500;
    private static final int PER_SCENARIO = REQUESTS / 5;
    private static final Path SAMPLE_CONFIG = Artifacts.sampleJar().getParent().getParent().resolve("metrics-agent.yml");

    private static JvmProcess sample(Path java, Path config, String... sampleArgs) throws IOException {
        return AgentJvm.on(java).agent("config=" + config, "port=0", "host=127.0.0.1", "host_metrics=false")
                .jar(Artifacts.sampleJar()).args(sampleArgs).start();
    }

    @OnEveryJdk
    void theShippedConfigurationMetersTheLegacyGatewayExactly(String jdk, Path java) throws Exception {
        try (JvmProcess app = sample(java, SAMPLE_CONFIG,
                "--requests", String.valueOf(REQUESTS), "--threads", "4", "--speed", "0", "--seed", "42")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=" + REQUESTS + " ");
            Exposition m = Exposition.scrape(port);

            // charge(ChargeRequest) only: the sample also calls charge(ChargeRequest, String) each time.
            assertEquals(REQUESTS, m.counter("legacy_gateway_charges_total"));
            assertEquals(REQUESTS, m.counter("legacy_gateway_charges_total", "gateway=legacy", "region=eu-west"));
            // The 1200 USD scenario is declined: a failure with no exception, named by the condition.
            assertEquals(PER_SCENARIO, m.counter("legacy_gateway_charges_total", "outcome=failure", "exception=DECLINED",
                    "status=DECLINED", "user_tier=standard", "payment_method=credit_card"));
            assertEquals(REQUESTS - PER_SCENARIO, m.counter("legacy_gateway_charges_total", "outcome=success",
                    "exception=none", "status=APPROVED"));
            assertEquals(2 * PER_SCENARIO, m.counter("legacy_gateway_charges_total", "user_tier=premium"));
            assertEquals(PER_SCENARIO, m.counter("legacy_gateway_charges_total", "user_tier=basic", "payment_method=debit_card"));
            assertEquals(PER_SCENARIO, m.histogramCount("legacy_gateway_charges_duration_seconds", "outcome=failure"));
            assertEquals(REQUESTS - PER_SCENARIO, m.histogramCount("legacy_gateway_charges_duration_seconds", "outcome=success"));
            assertEquals(REQUESTS, m.histogramCount("legacy_gateway_charge_amount_usd"));
            assertEquals(PER_SCENARIO * (50.0 + 150.0 + 1200.0 + 25.0 + 500.0), m.histogramSum("legacy_gateway_charge_amount_usd"));
            assertEquals(2 * PER_SCENARIO, m.bucket("legacy_gateway_charge_amount_usd", 100));
            // The gauge: the one client's approved charges, through both overloads (1200 USD is declined).
            assertEquals(List.of(Map.of("gateway", "legacy")), labelSets(m, "legacy_gateway_charged_usd"));
            assertEquals(2 * PER_SCENARIO * (50.0 + 150.0 + 25.0 + 500.0), m.gauge("legacy_gateway_charged_usd"));
            assertEquals("USD charged through the legacy gateway so far", m.family("legacy_gateway_charged_usd").getHelp());
            // The annotated metrics are there as ever.
            assertEquals(REQUESTS, m.counter("payment_requests_total"));
            assertEquals(3, m.gauge("metrics_agent_instrumented_methods"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }

    private static List<Map<String, String>> labelSets(Exposition m, String name) {
        return m.series(name).stream().map(Exposition::labels).collect(Collectors.toList());
    }

    /**
     * A static method without annotation, of a class a plugin's own loader defines, read as a gauge
     * with its constant label; unloading the plugin takes the gauge away and the loader is collected.
     */
    @OnEveryJdk
    void aStaticMethodIsReadAsAGaugeUntilItsPluginIsUnloaded(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("plugin.yml");
        Files.writeString(config, ""
                + "gauges:\n"
                + "  - class: io.metricsagent.it.plugin.impl.Payments\n"
                + "    method: declined\n"
                + "    name: plugin_payments_declined\n"
                + "    help: Payments the plugin declined\n"
                + "    labels: {source: config}\n");
        Path signal = dir.resolve("unload");
        try (JvmProcess host = PluginUnloadIT.pluginHost(java, 10, signal)
                .agent("config=" + config, "port=0", "host=127.0.0.1", "host_metrics=false").start()) {
            host.awaitStdout("^loaded$");
            int port = host.metricsPort();
            Exposition loaded = Exposition.scrape(port);
            // Payments 2, 5 and 8 of 10 go by bank and are declined.
            assertEquals(List.of(Map.of("source", "config")), labelSets(loaded, "plugin_payments_declined"));
            assertEquals(3, loaded.gauge("plugin_payments_declined"));
            assertEquals("Payments the plugin declined", loaded.family("plugin_payments_declined").getHelp());
            assertEquals(10, loaded.gauge("plugin_payments_handled"));

            Files.createFile(signal);
            host.awaitStdout("^ready$");
            assertEquals(List.of("plugin paid=7 declined=3 active=3 handled=10", "loaded", "collected true", "ready"),
                    host.stdout(), host::describe);
            assertFalse(Exposition.scrape(port).has("plugin_payments_declined"), "the unloaded plugin's gauge is still served");
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(host));
        }
    }

    /** A gauge whose method cannot be read is one line naming its entry; the others are read, the application runs on. */
    @Test
    void aGaugeThatCannotBeReadIsOneLineAndTheOthersAreRead(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad-gauge.yml");
        String client = "io.metricsagent.sample.LegacyGatewayClient";
        Files.writeString(config, ""
                + "gauges:\n"
                + "  - {class: " + client + ", method: pendingCharges, name: legacy_pending}\n"
                + "  - {class: " + client + ", method: charge, name: legacy_charge}\n"
                + "  - {class: " + client + ", method: getRegion, name: legacy_region}\n"
                + "  - {class: " + client + ", method: chargedUsd, name: memory_usage_bytes}\n"
                + "  - {class: " + client + ", method: chargedUsd, name: legacy_charged}\n");
        try (JvmProcess app = sample(Jdks.current(), config, "--requests", "20", "--speed", "0")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            String entry = "[metrics-agent] the gauge at bad-gauge.yml line ";
            assertEquals(List.of(
                    entry + "2 does not read " + client + ".pendingCharges(): " + client + " declares no method pendingCharges",
                    entry + "3 does not read " + client + ".charge(): it takes arguments; a gauge reads a method without any",
                    entry + "4 does not read " + client + ".getRegion(): it returns java.lang.String, not a number",
                    entry + "5 does not read " + client + ".chargedUsd(): 'memory_usage_bytes' clashes with the metric"
                            + " 'memory_usage_bytes' (the host sampler's gauge) already defined",
                    "[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
            Exposition m = Exposition.scrape(port);
            for (String refused : List.of("legacy_pending", "legacy_charge", "legacy_region")) {
                assertFalse(m.has(refused), refused + " is served");
            }
            // Scenarios 0..4 once each through both overloads: 1200 USD is declined.
            assertEquals(2 * 4 * (50.0 + 150.0 + 25.0 + 500.0), m.gauge("legacy_charged"));
            assertEquals("Value of " + client + ".chargedUsd()", m.family("legacy_charged").getHelp());
            assertEquals(20, m.counter("payment_requests_total"));
        }
    }

    /** The SPEC's payment families from configuration alone, on a class with no annotation. */
    @Test
    void thePaymentPresetFromConfigurationAlone(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("payment.yml");
        Files.writeString(config, ""
                + "metrics:\n"
                + "  - class: io.metricsagent.sample.LegacyGatewayClient\n"
                + "    method: charge\n"
                + "    parameters: [io.metricsagent.sample.LegacyGatewayClient$ChargeRequest]\n"
                + "    preset: payment\n"
                + "    gateway: legacy\n"
                + "    service: legacy_payment\n"
                + "    amount: request.amount\n"
                + "    user_tier: request.customer.tier\n"
                + "    payment_method: request.method\n"
                + "    failed_when: {value: return.status, equals: DECLINED}\n"
                + "    severity_above: 1500\n");
        try (JvmProcess app = sample(Jdks.current(), config,
                "--requests", String.valueOf(REQUESTS), "--threads", "4", "--speed", "0", "--seed", "42")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=" + REQUESTS + " ");
            Exposition m = Exposition.scrape(port);
            assertEquals(REQUESTS, m.counter("payment_requests_total", "gateway=legacy"));
            assertEquals(PER_SCENARIO, m.counter("payment_requests_total", "gateway=legacy", "status=failed",
                    "user_tier=standard"));
            assertEquals(REQUESTS, m.histogramCount("payment_duration_seconds", "gateway=legacy"));
            assertEquals(PER_SCENARIO, m.histogramCount("payment_duration_seconds", "gateway=legacy",
                    "payment_method=debit_card"));
            // The declined 1200 USD charges: failures by the condition, of medium severity under the
            // rule's threshold of 1500 (the SPEC's 1000 would make them high).
            assertEquals(PER_SCENARIO, m.counter("errors_total", "service=legacy_payment"));
            assertEquals(PER_SCENARIO, m.counter("errors_total", "service=legacy_payment", "error_type=DECLINED",
                    "severity=medium"));
            // payment_amount_usd is shared with the annotated payments (same currency): both add up.
            assertEquals(2.0 * PER_SCENARIO * (50.0 + 150.0 + 1200.0 + 25.0 + 500.0),
                    m.histogramSum("payment_amount_usd", "currency=USD"));
            assertEquals(REQUESTS, m.counter("payment_requests_total", "gateway=stripe"));
        }
    }

    /**
     * The sample's checkout wraps the payment service's exceptions in its own CheckoutException:
     * the rule's errors, then the file's, classify it by its cause, each with a severity of its own.
     */
    @OnEveryJdk
    void exceptionsAreClassifiedThroughTheCauseOfAWrapper(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("errors.yml");
        Files.writeString(config, ""
                + "errors:\n"
                + "  - type: io.metricsagent.sample.PaymentException\n"
                + "    error_type: payment_refused\n"
                + "    severity: medium\n"
                + "    causes: true\n"
                + "metrics:\n"
                + "  - class: io.metricsagent.sample.Checkout\n"
                + "    method: pay\n"
                + "    preset: payment\n"
                + "    gateway: checkout\n"
                + "    service: checkout\n"
                + "    amount: args[2]\n"
                + "    user_tier: args[3]\n"
                + "    payment_method: args[4]\n"
                + "    errors:\n"
                + "      - type: io.metricsagent.sample.PaymentGatewayException\n"
                + "        error_type: gateway_timeout\n"
                + "        severity: high\n"
                + "        causes: true\n"
                + "  - class: io.metricsagent.sample.Checkout\n"
                + "    method: pay\n"
                + "    name: checkouts\n");
        try (JvmProcess app = sample(java, config,
                "--requests", String.valueOf(REQUESTS), "--threads", "4", "--speed", "0", "--seed", "42")) {
            int port = app.metricsPort();
            SampleAppIT.Summary s = SampleAppIT.Summary.of(app);
            Exposition m = Exposition.scrape(port);
            assertTrue(s.total("gateway_timeouts") > 0 && s.total("validation_errors") > 0, app::describe);
            // The rule's own entry first: a gateway timeout, of high severity whatever the amount.
            assertEquals(s.total("gateway_timeouts"), m.counter("errors_total", "service=checkout",
                    "error_type=gateway_timeout", "severity=high"));
            // Then the file's: any other PaymentException (a subclass), medium whatever the amount.
            assertEquals(s.total("validation_errors"), m.counter("errors_total", "service=checkout",
                    "error_type=payment_refused", "severity=medium"));
            assertEquals(s.total("failed"), m.counter("errors_total", "service=checkout"));
            assertEquals(s.total("failed"), m.counter("payment_requests_total", "gateway=checkout", "status=failed"));
            // A rule with no severity label takes the file's entry for the exception label alone.
            assertEquals(s.total("failed"), m.counter("checkouts_total", "outcome=failure",
                    "exception=payment_refused"));
            assertEquals(s.total("succeeded"), m.counter("checkouts_total", "outcome=success", "exception=none"));
            assertEquals(REQUESTS, m.counter("checkouts_total"));
            // The annotated PaymentService is not classified: the SPEC's labels and severity rule.
            assertEquals(s.total("gateway_timeouts"), m.counter("errors_total", "service=payment",
                    "error_type=PaymentGatewayException"));
            assertEquals(s.total("validation_errors"), m.counter("errors_total", "service=payment",
                    "error_type=PaymentValidationException"));
            assertEquals(s.failed("order_3"), m.counter("errors_total", "service=payment", "severity=high"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }

    @Test
    void aRuleThatDoesNotFitItsMethodIsOneLineAndTheMethodRunsUnmetered(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad-rule.yml");
        Files.writeString(config, ""
                + "metrics:\n"
                + "  - class: io.metricsagent.sample.LegacyGatewayClient\n"
                + "    method: charge\n"
                + "    name: legacy\n"
                + "    labels: {tier: request.customer.grade}\n");
        try (JvmProcess app = sample(Jdks.current(), config, "--requests", "20", "--speed", "0")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            String line = "[metrics-agent] the rule at bad-rule.yml line 2 does not meter"
                    + " io.metricsagent.sample.LegacyGatewayClient.charge(): path 'customer.grade' of argument 0:"
                    + " no visible getter or field 'grade' on io.metricsagent.sample.LegacyGatewayClient$Customer";
            // Both overloads are selected (no parameters given), and each is refused alike.
            assertEquals(List.of(line, line, "[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
            Exposition m = Exposition.scrape(port);
            assertTrue(!m.has("legacy_total"), "no family of the refused rule");
            assertEquals(20, m.counter("payment_requests_total"));
        }
    }

    @Test
    void aBadFileIsNamedWithItsLineAndTheAgentRunsWithoutIt(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yml");
        Files.writeString(config, "metrics:\n  - class: A\n    method: m\n    name: x\n    lables: {}\n");
        try (JvmProcess app = sample(Jdks.current(), config, "--requests", "20", "--speed", "0")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            List<String> lines = FaultsIT.agentLines(app);
            assertEquals(2, lines.size(), app::describe);
            assertTrue(lines.get(0).startsWith("[metrics-agent] bad configuration: config=" + config
                    + " line 5: unknown key 'lables' in a rule; valid keys are: "), lines.get(0));
            assertTrue(lines.get(0).endsWith("; the agent runs without the config file"), lines.get(0));
            Exposition m = Exposition.scrape(port);
            assertEquals(20, m.counter("payment_requests_total"));
            assertTrue(!m.has("legacy_gateway_charges_total"), "no rule of the bad file");
        }
    }

    @Test
    void optionsMayBeSystemPropertiesAndTheAgentArgumentWins() throws Exception {
        try (JvmProcess app = AgentJvm.on(Jdks.current())
                .flags("-Dmetricsagent.host=127.0.0.1", "-Dmetricsagent.port=1", "-Dmetricsagent.host_metrics=false")
                .agent("port=0").jar(Artifacts.sampleJar()).args("--requests", "20", "--speed", "0").start()) {
            int port = app.metricsPort();
            assertTrue(port != 1, "the agent argument's port=0 wins over -Dmetricsagent.port=1");
            app.awaitStdout("^summary requests=20 ");
            Exposition m = Exposition.scrape(port);
            assertEquals(20, m.counter("payment_requests_total"));
            assertTrue(!m.has("memory_usage_bytes"), "host_metrics=false from a system property");
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }
}
