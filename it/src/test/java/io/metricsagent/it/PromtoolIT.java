package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The sample's text exposition, with every kind of family it has (the payment preset with its
 * failures, the general {@code @Metered} families, the pool and host gauges, the JVM's own, the
 * agent's own),
 * passes {@code promtool check metrics}: Prometheus' own parser and its naming lint, not ours.
 */
class PromtoolIT {

    private static final long PROMTOOL_TIMEOUT_SECONDS = 30;

    @OnEveryJdk
    void textExpositionPassesPromtool(String jdk, Path java) throws Exception {
        Path promtool = promtool();
        Assumptions.assumeTrue(promtool != null,
                "promtool is not installed (Debian package prometheus, or put it on the PATH); this test is skipped");
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1", "interval=1")
                .jar(Artifacts.sampleJar())
                .args("--requests", "200", "--threads", "2", "--speed", "0", "--seed", "42").start()) {
            int port = app.metricsPort();
            app.awaitStdout("^scenario order_5 ");
            String text = scrapeOnceHostIsSampled(port);
            assertTrue(text.contains("errors_total{"), "the sample failed no call, so the scrape lacks failure series:\n" + text);
            assertTrue(text.contains("fraud_check_amount_usd_bucket{"), text);
            // Registered before the host sampler starts, so in by now.
            assertTrue(text.contains("jvm_gc_collection_seconds_count{"), text);
            assertTrue(text.contains("process_cpu_seconds_total "), text);

            Result result = check(promtool, text);
            if (result.exitCode != 0 || !result.output.isEmpty()) {
                fail("promtool check metrics exited " + result.exitCode + " and said:\n" + result.output
                        + "\n--- of this exposition:\n" + text);
            }
        }
    }

    /** The text exposition once the CPU has been sampled twice, so that the host gauges are in it. */
    private static String scrapeOnceHostIsSampled(int port) throws Exception {
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        while (true) {
            HttpResponse<byte[]> response = Exposition.get(port, "/metrics", "text/plain");
            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (text.contains("cpu_usage_percent{") || System.nanoTime() > deadline) {
                assertTrue(text.contains("cpu_usage_percent{"), "no host CPU sample within " + JvmProcess.TIMEOUT + ":\n" + text);
                return text;
            }
            Thread.sleep(200);
        }
    }

    private static Result check(Path promtool, String exposition) throws IOException, InterruptedException {
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(PROMTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool check metrics still running after " + PROMTOOL_TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(output).trim());
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path promtool() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
