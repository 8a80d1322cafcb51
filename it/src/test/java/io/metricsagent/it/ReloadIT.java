package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config file changes while the application runs: a rule added meters classes loaded long
 * before, a removed rule stops recording and its metric leaves, a changed rule takes its new
 * labels, an unchanged rule's counts go on, and a file that does not read keeps what was in force.
 */
class ReloadIT {

    private static final String GATEWAYS = ""
            + "  - extends: io.metricsagent.legacy.Gateway\n"
            + "    method: charge\n"
            + "    name: gateway_charges\n"
            + "    labels: {gateway: $class}\n";
    private static final String ROUTES = ""
            + "  - annotated: io.metricsagent.legacy.Route\n"
            + "    name: route_calls\n";
    static final String COMMANDS = ""
            + "gauges:\n"
            + "  - class: io.metricsagent.legacy.Commands\n"
            + "    method: count\n"
            + "    name: legacy_commands_done\n";
    static final String ROUTES_BY_HANDLER = ROUTES
            + "    labels: {handler: $method}\n";

    /** Replaces the file in one step, as a deployment tool or a ConfigMap does. */
    private static void write(Path config, String text) throws Exception {
        Path next = config.resolveSibling(config.getFileName() + ".next");
        Files.writeString(next, text);
        Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void awaitReload(JvmProcess app, int reloads, String what) {
        app.awaitStderr("^\\[metrics-agent] config=.* reloaded: " + what + "$");
        assertEquals(reloads, app.stderr().stream().filter(l -> l.contains(" reloaded: ")).count());
    }

    @OnEveryJdk
    void rulesAddedRemovedAndChangedTakeEffectWhileTheApplicationRuns(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("rules.yml");
        write(config, "metrics:\n" + GATEWAYS);
        try (JvmProcess app = RuleSelectionIT.legacyApp(java, config)) {
            int port = app.metricsPort();
            RuleSelectionIT.run(app, "charge card 3 50");
            RuleSelectionIT.run(app, "account 1");
            Exposition m = Exposition.scrape(port);
            assertEquals(3, m.counter("gateway_charges_total"));
            assertFalse(m.has("route_calls_total"));
            assertEquals(0, m.counter("metrics_agent_config_reloads_total"));
            double startedAt = m.gauge("metrics_agent_config_loaded_timestamp_seconds");

            // Added: AccountHandlers, loaded before, is woven now; the gateways go on counting; a
            // class is read as a gauge.
            write(config, "metrics:\n" + GATEWAYS + ROUTES + COMMANDS);
            awaitReload(app, 1, "rules and gauges 2 added, 0 removed; 2 loaded classes retransformed");
            RuleSelectionIT.run(app, "charge card 2 50");
            RuleSelectionIT.run(app, "account 2");
            m = Exposition.scrape(port);
            assertEquals(5, m.counter("gateway_charges_total", "gateway=CardGateway"));
            assertEquals(4, m.counter("route_calls_total"));
            assertEquals(4, m.gauge("legacy_commands_done"));
            assertEquals(1, m.counter("metrics_agent_config_reloads_total", "result=success"));
            assertTrue(m.gauge("metrics_agent_config_loaded_timestamp_seconds") > startedAt);
            // charge in CardGateway and SandboxGateway; open, close.
            assertEquals(4, m.gauge("metrics_agent_instrumented_methods"));

            // Removed and changed: the gateways stop recording and their metric leaves; the routes
            // take the handler label, under the same name, from zero; the gauge leaves. Retransformed:
            // the interface, CardGateway, SandboxGateway, AccountHandlers, Commands; not
            // AbstractGateway, which declares no charge method for the gateways' rule to weave.
            write(config, "metrics:\n" + ROUTES_BY_HANDLER);
            awaitReload(app, 2, "rules and gauges 1 added, 3 removed; 5 loaded classes retransformed");
            RuleSelectionIT.run(app, "charge card 4 50");
            RuleSelectionIT.run(app, "account 1");
            m = Exposition.scrape(port);
            assertFalse(m.has("gateway_charges_total"));
            assertFalse(m.has("gateway_charges_duration_seconds"));
            assertFalse(m.has("legacy_commands_done"));
            String text = new String(Exposition.get(port, "/metrics", "text/plain").body(), StandardCharsets.UTF_8);
            assertEquals(2, m.counter("route_calls_total"), () -> text + app.describe());
            assertEquals(1, m.counter("route_calls_total", "handler=open"));
            assertEquals(1, m.counter("route_calls_total", "handler=close"));
            assertEquals(2, m.gauge("metrics_agent_instrumented_methods"));

            // A file that does not read: one line, and the rules in force stay.
            write(config, "metrics:\n  - annotated: io.metricsagent.legacy.Route\n    nmae: x\n");
            app.awaitStderr("^\\[metrics-agent] config=" + config + " line 3: unknown key 'nmae' in a rule; .*"
                    + "; the rules loaded at .* stay in force$");
            RuleSelectionIT.run(app, "account 1");
            m = Exposition.scrape(port);
            assertEquals(4, m.counter("route_calls_total"));
            assertEquals(1, m.counter("metrics_agent_config_reloads_total", "result=failure"));
            assertEquals(2, m.counter("metrics_agent_config_reloads_total", "result=success"));

            // Fixed again, with an option that only a restart changes.
            write(config, "max_series: 500\nmetrics:\n" + ROUTES_BY_HANDLER + GATEWAYS);
            awaitReload(app, 3, "rules and gauges 1 added, 0 removed; 3 loaded classes retransformed");
            app.awaitStderr("^\\[metrics-agent] config=" + config + ": max_series changed, which takes effect at the next start$");
            RuleSelectionIT.run(app, "charge card 1 50");
            m = Exposition.scrape(port);
            assertEquals(1, m.counter("gateway_charges_total"));
            assertEquals(4, m.counter("route_calls_total"));
            assertEquals(0, m.counter("metrics_agent_internal_errors_total"));
        }
    }

    @Test
    void watchConfigFalseKeepsTheRulesOfTheStart(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("rules.yml");
        write(config, "metrics:\n" + GATEWAYS);
        try (JvmProcess app = RuleSelectionIT.legacyApp(Jdks.current(), config, "watch_config=false")) {
            int port = app.metricsPort();
            write(config, "metrics:\n" + ROUTES);
            Thread.sleep(3 * 1000);
            RuleSelectionIT.run(app, "charge card 2 50");
            RuleSelectionIT.run(app, "account 1");
            Exposition m = Exposition.scrape(port);
            assertEquals(2, m.counter("gateway_charges_total"));
            assertFalse(m.has("route_calls_total"));
            assertFalse(m.has("metrics_agent_config_reloads_total"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }
}
