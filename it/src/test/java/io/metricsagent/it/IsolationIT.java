package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An application with its own, other versions of ByteBuddy, the Prometheus client and JNA, and its
 * own io.prometheus settings (a system property moving its exporter's port, an environment
 * variable, a properties file): under the agent both it and the agent work, and neither sees the
 * other's metrics or settings; the agent's JVM metrics stay off the application's registry, and
 * the client's JVM instrumentation, which the agent bundles, cannot be loaded by its own name.
 */
class IsolationIT {

    @Test
    void applicationAndAgentKeepTheirOwnLibrariesAndSettings() throws Exception {
        Path dir = Artifacts.isolationDir();
        int appPort = freePort();
        String classPath = Artifacts.classPath(dir, "isolation-app");
        try (JvmProcess app = AgentJvm.on(Jdks.current())
                .agent("port=0", "host=127.0.0.1")
                .flags("-Dio.prometheus.exporter.httpServer.port=" + appPort)
                .env("IO_PROMETHEUS_METRICS_EXEMPLARS_ENABLED", "false")
                .main(classPath, "io.metricsagent.it.isolation.IsolatedApp").start()) {
            int agentPort = app.metricsPort();
            app.awaitStdout("^ready$");

            assertTrue(app.awaitStdout("^bytebuddy (\\S+) (.*)$").group(1).endsWith("byte-buddy-1.14.18.jar"), app::describe);
            assertEquals("made by the application's ByteBuddy", app.awaitStdout("^bytebuddy (\\S+) (.*)$").group(2));
            assertEquals(String.valueOf(appPort), app.awaitStdout("^prometheus port=(\\d+)$").group(1));
            assertEquals(String.valueOf(app.pid()), app.awaitStdout("^jna pid=(\\d+) version=5.14.0$").group(1));
            app.awaitStdout("^not visible io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics$");

            String appMetrics = new String(Exposition.get(appPort, "/metrics", "text/plain").body(), StandardCharsets.UTF_8);
            assertTrue(appMetrics.contains("application_own_total 3.0"), appMetrics);
            assertFalse(appMetrics.contains("payment_"), appMetrics);
            // The agent's JVM metrics are on its own registry, not in the application's default one.
            assertFalse(appMetrics.contains("jvm_"), appMetrics);
            assertFalse(appMetrics.contains("process_"), appMetrics);

            Exposition agentMetrics = Exposition.scrape(agentPort);
            for (long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
                    !agentMetrics.has("jvm_threads_current") && System.nanoTime() < deadline; ) {
                Thread.sleep(100);
                agentMetrics = Exposition.scrape(agentPort);
            }
            assertTrue(agentMetrics.gauge("jvm_memory_used_bytes", "area=heap") > 0);
            assertTrue(agentMetrics.counter("process_cpu_seconds_total") > 0);
            assertEquals(10, agentMetrics.counter("payment_requests_total", "gateway=isolated", "status=success"));
            assertEquals(5, agentMetrics.counter("payment_requests_total", "user_tier=gold"));
            assertEquals(100.0 * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9), agentMetrics.histogramSum("payment_amount_usd"));
            assertFalse(agentMetrics.has("application_own"));
            assertFalse(agentMetrics.has("application_own_total"));
            for (String line : app.stderr()) {
                assertTrue(line.startsWith("[metrics-agent] serving") || line.contains("Sharing is only supported"),
                        "unexpected stderr line: " + line);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
