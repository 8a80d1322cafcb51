package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that loads a plugin through a child-first class loader, runs it and drops it
 * ({@code it/plugin-app}): the agent must not keep the plugin's loader alive, not through its
 * gauges (the plugin's pool and its static accessor), not through its payments (the plugin's enum
 * arguments and its own exception class); what the plugin recorded stays on {@code /metrics},
 * and its gauges leave once it is unloaded.
 */
class PluginUnloadIT {

    private static final String PAID = "plugin paid=7 declined=3 active=3 handled=10";

    @OnEveryJdk
    void withoutTheAgentTheDroppedLoaderIsCollected(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path signal = dir.resolve("unload");
        Files.createFile(signal);
        try (JvmProcess host = pluginHost(java, 10, signal).start()) {
            host.awaitStdout("^ready$");
            assertEquals(List.of(PAID, "loaded", "collected true", "ready"), host.stdout(), host::describe);
        }
    }

    @OnEveryJdk
    void gaugesOfTheUnloadedPluginLeaveAndItsLoaderIsCollected(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path signal = dir.resolve("unload");
        try (JvmProcess host = pluginHost(java, 0, signal).agent("port=0", "host=127.0.0.1").start()) {
            host.awaitStdout("^loaded$");
            int port = host.metricsPort();
            Exposition loaded = Exposition.scrape(port);
            assertEquals(3, loaded.gauge("plugin_pool_active", "pool=plugin"));
            assertEquals(0, loaded.gauge("plugin_payments_handled"));

            Files.createFile(signal);
            host.awaitStdout("^ready$");
            assertEquals(List.of("plugin paid=0 declined=0 active=3 handled=0", "loaded", "collected true", "ready"),
                    host.stdout(), host::describe);
            Exposition unloaded = Exposition.scrape(port);
            assertFalse(unloaded.has("plugin_pool_active"), "the unloaded plugin's instance gauge is still served");
            assertFalse(unloaded.has("plugin_payments_handled"), "the unloaded plugin's static gauge is still served");
            assertEquals(0, unloaded.counter("metrics_agent_internal_errors_total", "component=gauge"));
        }
    }

    @OnEveryJdk
    void paymentsOfThePluginAreCountedAndItsLoaderIsStillCollected(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        Path signal = dir.resolve("unload");
        try (JvmProcess host = pluginHost(java, 10, signal).agent("port=0", "host=127.0.0.1").start()) {
            host.awaitStdout("^loaded$");
            int port = host.metricsPort();
            Exposition loaded = Exposition.scrape(port);
            // Payment i: tier GOLD for even i, SILVER for odd; channel CARD, WALLET, BANK by i % 3;
            // BANK (i = 2, 5, 8) is declined; amount 10 * (i + 1).
            assertPayments(loaded);
            assertEquals(3, loaded.gauge("plugin_pool_active", "pool=plugin"));
            assertEquals(10, loaded.gauge("plugin_payments_handled"));

            Files.createFile(signal);
            host.awaitStdout("^ready$");
            assertEquals(List.of(PAID, "loaded", "collected true", "ready"), host.stdout(),
                    () -> "the agent keeps the plugin's loader alive\n" + host.describe());
            Exposition unloaded = Exposition.scrape(port);
            assertFalse(unloaded.has("plugin_pool_active"), "the unloaded plugin's instance gauge is still served");
            assertFalse(unloaded.has("plugin_payments_handled"), "the unloaded plugin's static gauge is still served");
            assertPayments(unloaded);
        }
    }

    private static void assertPayments(Exposition m) {
        assertEquals(3, m.counter("payment_requests_total", "gateway=plugin", "status=success", "user_tier=GOLD"));
        assertEquals(2, m.counter("payment_requests_total", "gateway=plugin", "status=failed", "user_tier=GOLD"));
        assertEquals(4, m.counter("payment_requests_total", "gateway=plugin", "status=success", "user_tier=SILVER"));
        assertEquals(1, m.counter("payment_requests_total", "gateway=plugin", "status=failed", "user_tier=SILVER"));
        assertEquals(4, m.histogramCount("payment_duration_seconds", "gateway=plugin", "payment_method=CARD"));
        assertEquals(3, m.histogramCount("payment_duration_seconds", "gateway=plugin", "payment_method=WALLET"));
        assertEquals(3, m.histogramCount("payment_duration_seconds", "gateway=plugin", "payment_method=BANK"));
        assertEquals(550, m.histogramSum("payment_amount_usd", "user_tier=GOLD") + m.histogramSum("payment_amount_usd", "user_tier=SILVER"));
        assertEquals(3, m.counter("errors_total", "service=plugin", "error_type=DeclinedException", "severity=medium"));
        assertEquals(0, m.counter("errors_total", "service=plugin", "error_type=DeclinedException", "severity=high"));
    }

    /** The plugin-app's host, whose plugin makes {@code payments} payments and is unloaded once {@code signal} exists. */
    static AgentJvm pluginHost(Path java, int payments, Path signal) {
        Path dir = Artifacts.pluginDir();
        return AgentJvm.on(java).main(Artifacts.classPath(dir, "plugin-app"), "io.metricsagent.it.plugin.PluginHost")
                .args(dir.resolve("plugin-app-" + System.getProperty("project.version") + "-plugin.jar").toString(),
                        String.valueOf(payments), signal.toString());
    }
}
