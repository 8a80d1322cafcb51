package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads call one class's three methods at full speed while the config file is rewritten
 * {@value #REWRITES} times: one rule added and removed, another's label changed, every tenth file
 * broken. The class is woven again at nearly every reload, so the rule that never changes counts
 * through all of them: it must count every call exactly. Nothing reaches the application, no
 * weaving fails, and every reload and failure is counted. Prints the application's throughput
 * while the file is rewritten against before.
 */
class ReloadUnderLoadIT {

    static final int REWRITES = 500;
    private static final String STABLE = ""
            + "  - class: io.metricsagent.legacy.busy.Work\n"
            + "    method: stable\n"
            + "    name: busy_stable\n";
    private static final String TOGGLED = ""
            + "  - class: io.metricsagent.legacy.busy.Work\n"
            + "    method: toggled\n"
            + "    name: busy_toggled\n";
    private static final String RELABELED = ""
            + "  - class: io.metricsagent.legacy.busy.Work\n"
            + "    method: relabeled\n"
            + "    name: busy_relabeled\n"
            + "    labels: {%s: 'args[0]'}\n";

    /** The file of rewrite {@code k}: the toggled rule in every other one, the label renamed every fourth. */
    static String file(int k) {
        if (k % 10 == 9) {
            return "metrics:\n  - class: [io.metricsagent.legacy.busy.Work\n";
        }
        return "metrics:\n" + STABLE + (k % 2 == 0 ? TOGGLED : "") + String.format(RELABELED, k / 4 % 2 == 0 ? "kind" : "size");
    }

    private static void write(Path config, String text) throws Exception {
        Path next = config.resolveSibling(config.getFileName() + ".next");
        Files.writeString(next, text);
        Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long reloadLines(JvmProcess app) {
        return app.stderr().stream().filter(l -> l.contains(" reloaded: ") || l.endsWith(" stay in force")).count();
    }

    private static double[] count(JvmProcess app) throws Exception {
        long before = app.stdout().stream().filter(l -> l.startsWith("count ")).count();
        app.send("count");
        while (app.stdout().stream().filter(l -> l.startsWith("count ")).count() == before) {
            Thread.sleep(5);
        }
        List<String> counts = app.stdout().stream().filter(l -> l.startsWith("count ")).collect(Collectors.toList());
        Matcher m = Pattern.compile("count calls=(\\d+) nanos=(\\d+)").matcher(counts.get(counts.size() - 1));
        assertTrue(m.matches(), counts.toString());
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void theUnchangedRuleCountsEveryCallThroughFiveHundredReloads(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("busy.yml");
        write(config, "metrics:\n" + STABLE);
        try (JvmProcess app = AgentJvm.on(Jdks.current())
                .agent("config=" + config, "watch_interval_ms=20", "port=0", "host=127.0.0.1", "host_metrics=false")
                .main(Artifacts.legacyJar().toString(), "io.metricsagent.legacy.busy.BusyMain").args("8").start()) {
            app.awaitStdout("^ready$");
            int port = app.metricsPort();
            double[] quietStart = count(app);
            Thread.sleep(5000);
            double[] quietEnd = count(app);

            long rewriteStart = System.nanoTime();
            for (int k = 0; k < REWRITES; k++) {
                write(config, file(k));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (reloadLines(app) < k + 1) {
                    assertTrue(System.nanoTime() < deadline, "rewrite " + k + " not reloaded: " + app.describe());
                    Thread.sleep(2);
                }
            }
            double[] reloadEnd = count(app);
            double seconds = (System.nanoTime() - rewriteStart) / 1e9;

            app.send("stop");
            Matcher stopped = app.awaitStdout("^stopped stable=(\\d+) toggled=(\\d+) relabeled=(\\d+) escaped=(\\d+)$");
            Exposition m = Exposition.scrape(port);
            assertEquals(Long.parseLong(stopped.group(1)), m.counter("busy_stable_total"), app::describe);
            assertEquals(0, Long.parseLong(stopped.group(4)), "calls that threw into the application");
            assertEquals(0, m.counter("metrics_agent_transformation_errors_total"));
            assertEquals(0, m.counter("metrics_agent_internal_errors_total"));
            assertEquals(REWRITES / 10 * 9, m.counter("metrics_agent_config_reloads_total", "result=success"));
            assertEquals(REWRITES / 10, m.counter("metrics_agent_config_reloads_total", "result=failure"));
            // The last file in force, rewrite 498: the toggled rule in, the label named kind.
            assertTrue(m.has("busy_toggled_total"));
            assertEquals(List.of("1", "2"), m.series("busy_relabeled_total").stream()
                    .map(series -> Exposition.labels(series).get("kind")).sorted().collect(Collectors.toList()));
            // Nothing but the reloads' lines.
            List<String> others = app.stderr().stream().filter(l -> l.startsWith("[metrics-agent]"))
                    .filter(l -> !l.contains(" reloaded: ") && !l.endsWith(" stay in force") && !l.contains("serving metrics on"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), others);
            System.out.printf("%d rewrites in %.1f s; throughput %.1f M calls/s while they were made, %.1f M calls/s before%n",
                    REWRITES, seconds, (reloadEnd[0] - quietEnd[0]) / (reloadEnd[1] - quietEnd[1]) * 1e3,
                    (quietEnd[0] - quietStart[0]) / (quietEnd[1] - quietStart[1]) * 1e3);
        }
    }
}
