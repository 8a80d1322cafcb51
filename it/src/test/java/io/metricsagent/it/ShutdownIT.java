package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Shutting down: the endpoint closes as soon as the JVM begins to shut down (HotSpot holds a JVM's
 * exit up to 300 ms for a server thread waiting in native code), while the application's own
 * shutdown hooks run to their end and its exit code is kept.
 */
class ShutdownIT {

    @OnEveryJdk
    void theEndpointClosesWhenMainReturnsAndTheApplicationsHookRunsToItsEnd(String jdk, Path java) throws Exception {
        shutDown(java, "return", 0);
    }

    @OnEveryJdk
    void theEndpointClosesOnSystemExitAndTheExitCodeIsKept(String jdk, Path java) throws Exception {
        shutDown(java, "exit 3", 3);
    }

    @OnEveryJdk
    void aMainThatEndsWhileTheAgentStartsExitsCleanly(String jdk, Path java) throws Exception {
        try (JvmProcess app = start(java)) {
            app.send(null);
            assertEquals(0, app.awaitExit(), app::describe);
            assertEquals(List.of("ready", "hook running", "hook done"), app.stdout());
            for (String line : app.stderr()) {
                assertTrue(line.startsWith("[metrics-agent] serving metrics on ") || isCdsNote(line), app::describe);
            }
        }
    }

    private static void shutDown(Path java, String command, int exitCode) throws Exception {
        try (JvmProcess app = start(java)) {
            int port = app.metricsPort();
            app.awaitStdout("^ready$");
            assertEquals(200, Exposition.get(port, "/-/healthy", "*/*").statusCode());
            app.send(command);
            app.awaitStdout("^hook running$");
            awaitRefused(port, app);
            app.send("done");
            assertEquals(exitCode, app.awaitExit(), app::describe);
            assertEquals(List.of("ready", "hook running", "hook done"), app.stdout());
            for (String line : app.stderr()) {
                assertTrue(line.startsWith("[metrics-agent] serving metrics on ") || isCdsNote(line), app::describe);
            }
        }
    }

    private static JvmProcess start(Path java) throws Exception {
        Path classes = Paths.get(ShutdownApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return AgentJvm.on(java).agent("host=127.0.0.1", "port=0").main(classes.toString(), ShutdownApp.class.getName()).start();
    }

    /** Waits until the port refuses connections, while the application's hook still holds the JVM up. */
    private static void awaitRefused(int port, JvmProcess app) throws Exception {
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(20);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                Thread.sleep(20);
            }
        }
        fail("port " + port + " still accepts connections during shutdown: " + app.describe());
    }

    private static boolean isCdsNote(String line) {
        return line.contains("Sharing is only supported for boot loader classes");
    }
}
