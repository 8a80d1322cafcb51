package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.Stderr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watch on the YAML file: a good change is handed over, a bad one keeps what is in force; each counted. */
class ConfigWatcherTest {

    private static final String ORDERS = "metrics:\n  - class: com.shop.Orders\n    method: place\n    name: orders\n";
    private static final String REFUNDS = "metrics:\n  - class: com.shop.Refunds\n    method: refund\n    name: refunds\n";
    /** Well past the watch's period and settling time. */
    private static final long WAIT_MILLIS = 10_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final Stderr stderr = new Stderr();

    /** What the wiring would put in force, by the class each rule names. */
    private final List<String> handed = new CopyOnWriteArrayList<>();

    private final ConfigWatcher.RulesInForce rules = new ConfigWatcher.RulesInForce() {
        @Override
        public String replace(AgentOptions next) {
            handed.add(next.rules().get(0).classPattern());
            return "as the test says";
        }
    };

    /** The watch would go on after the test, and its file with it: it ends when interrupted. */
    @AfterEach
    void stopWatching() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("metrics-config")) {
                thread.interrupt();
                thread.join(WAIT_MILLIS);
            }
        }
    }

    @Test
    void aChangedFileIsHandedOverAndOneThatDoesNotReadKeepsTheRulesInForce() throws Exception {
        Path file = dir.resolve("metrics-agent.yml");
        Files.writeString(file, ORDERS);
        ConfigWatcher watcher = new ConfigWatcher(AgentOptions.parse("config=" + file), rules);
        watcher.start();
        assertTrue(watcher.watching());
        assertTrue(watcher.loadedAtMillis() > 0);

        Files.writeString(file, REFUNDS);
        awaitCounts(watcher, 1, 0);
        assertEquals(List.of("com.shop.Refunds"), handed);
        assertTrue(stderr.text().contains("config=" + file + " reloaded: as the test says"), stderr.text());

        Files.writeString(file, "metrics:\n  - class: [\n");
        awaitCounts(watcher, 1, 1);
        assertEquals(List.of("com.shop.Refunds"), handed);
    }

    @Test
    void aFileThatIsNotWatchedIsNeitherReadAgainNorCounted() throws IOException {
        Path file = dir.resolve("metrics-agent.yml");
        Files.writeString(file, ORDERS);
        ConfigWatcher watcher = new ConfigWatcher(AgentOptions.parse("config=" + file + ",watch_config=false"), rules);
        watcher.start();
        assertFalse(watcher.watching());
        assertTrue(watcher.loadedAtMillis() > 0, "the rules in force were loaded all the same");
    }

    private static void awaitCounts(ConfigWatcher watcher, long succeeded, long failed) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while ((watcher.succeeded() != succeeded || watcher.failed() != failed) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(succeeded + " " + failed, watcher.succeeded() + " " + watcher.failed());
    }
}
