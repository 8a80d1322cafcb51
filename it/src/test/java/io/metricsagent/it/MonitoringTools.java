package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus', Alertmanager's and the Pushgateway's programs as Debian packages them ({@code .ci/run} installs the
 * packages where they are missing). A missing program fails the test that needs it, saying which
 * package to install; only where that package cannot be installed at all (no apt, or no candidate
 * for it) is the test skipped instead, saying why.
 */
final class MonitoringTools {

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private MonitoringTools() {}

    static Path promtool() {
        return require("prometheus", "promtool");
    }

    static Path prometheus() {
        return require("prometheus", "prometheus");
    }

    /** Debian names the server prometheus-alertmanager; upstream's archive, alertmanager. */
    static Path alertmanager() {
        return require("prometheus-alertmanager", "prometheus-alertmanager", "alertmanager");
    }

    static Path amtool() {
        return require("prometheus-alertmanager", "amtool");
    }

    static Path pushgateway() {
        return require("prometheus-pushgateway", "prometheus-pushgateway", "pushgateway");
    }

    private static Path require(String debianPackage, String... names) {
        for (String name : names) {
            Path found = onPath(name);
            if (found != null) {
                return found;
            }
        }
        String missing = String.join(" or ", names) + " is not on the PATH: install the Debian package " + debianPackage
                + " (apt-get install --no-install-recommends " + debianPackage + "; .ci/run does)";
        Assumptions.assumeTrue(installable(debianPackage),
                () -> missing + ". The package cannot be installed on this machine (no apt-cache, or no candidate"
                        + " for it), so this test is skipped");
        return fail(missing);
    }

    /** The executable {@code name} on the PATH, or {@code null}. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, name))) {
                return Paths.get(dir, name);
            }
        }
        return null;
    }

    private static boolean installable(String debianPackage) {
        Path aptCache = onPath("apt-cache");
        if (aptCache == null) {
            return false;
        }
        Result policy = run(List.of(aptCache.toString(), "policy", debianPackage));
        return policy.exitCode == 0 && policy.output.contains("Candidate:") && !policy.output.contains("Candidate: (none)");
    }

    /** What a finished command said, stdout and stderr together. */
    static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    static Result run(List<String> command) {
        try {
            Path output = Files.createTempFile("monitoring-tool", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " still running after " + COMMAND_TIMEOUT_SECONDS + " s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<String> command(Path program, Object... arguments) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        return command;
    }

    /** A port free on 127.0.0.1 right now, for a server that cannot be told to pick its own. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free port on 127.0.0.1", e);
        }
    }
}
