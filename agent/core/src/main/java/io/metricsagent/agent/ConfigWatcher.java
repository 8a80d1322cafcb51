package io.metricsagent.agent;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.weaving.MeteringRules;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the YAML config file and puts its rules in force when it changes, without a restart:
 * the affected loaded classes are woven again. The file is compared by content once a second (a
 * change of time stamp alone, or a file replaced by a link swap as Kubernetes does with a
 * ConfigMap, is seen the same way). A file that does not read keeps the rules last loaded, with one
 * line; the other options are read at start only, and a change to them says so.
 */
final class ConfigWatcher implements Runnable {

    static final long PERIOD_MILLIS = 1000;
    private static final long SETTLE_MILLIS = 200;

    private static final AtomicLong SUCCEEDED = new AtomicLong();
    private static final AtomicLong FAILED = new AtomicLong();
    /** When the rules in force were loaded, in milliseconds since the epoch; 0 before they ever were. */
    private static volatile long loadedAtMillis;
    private static volatile boolean watching;

    private final AgentOptions started;
    private final Instrumentation inst;
    private byte[] seen;

    private ConfigWatcher(AgentOptions started, Instrumentation inst, byte[] seen) {
        this.started = started;
        this.inst = inst;
        this.seen = seen;
    }

    /**
     * Starts watching, when {@code config=} names a YAML file and {@code watch_config} is not
     * false. Call as soon as the options are read, so that no change after that is missed.
     */
    static void start(AgentOptions options, Instrumentation inst) {
        if (!options.configIsYaml()) {
            return;
        }
        if (options.configProblem() == null) {
            loadedAtMillis = System.currentTimeMillis();
        }
        if (!options.watchConfig()) {
            return;
        }
        watching = true;
        Thread thread = new Thread(new ConfigWatcher(options, inst, read(options.configFile())), "metrics-config");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether a config file is watched: the reload metrics are served only then. */
    static boolean watching() {
        return watching;
    }

    static long succeeded() {
        return SUCCEEDED.get();
    }

    static long failed() {
        return FAILED.get();
    }

    static long loadedAtMillis() {
        return loadedAtMillis;
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                byte[] now = read(started.configFile());
                if (!Arrays.equals(now, seen)) {
                    // An editor may be half way through writing it: wait until it holds still.
                    Thread.sleep(SETTLE_MILLIS);
                    byte[] settled = read(started.configFile());
                    if (Arrays.equals(now, settled)) {
                        seen = settled;
                        reload(settled != null);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                FAILED.incrementAndGet();
                AgentLog.warn("config=" + started.configFile() + " could not be reloaded; " + stays(), t);
            }
        }
    }

    private void reload(boolean readable) {
        AgentOptions next = readable ? started.reread() : null;
        if (next == null || next.configProblem() != null) {
            FAILED.incrementAndGet();
            AgentLog.info((next == null ? "config=" + started.configFile() + " cannot be read" : next.configProblem())
                    + "; " + stays());
            return;
        }
        MeteringRules.Change change = MeteringRules.replace(inst, next.rules(), next.gauges());
        SUCCEEDED.incrementAndGet();
        loadedAtMillis = System.currentTimeMillis();
        AgentLog.info("config=" + started.configFile() + " reloaded: rules and gauges " + change.added + " added, "
                + change.removed + " removed; " + change.classes + " loaded classes retransformed");
        Set<String> options = started.differingSettings(next);
        if (!options.isEmpty()) {
            AgentLog.info("config=" + started.configFile() + ": " + String.join(", ", options)
                    + " changed, which takes effect at the next start");
        }
    }

    private static String stays() {
        long at = loadedAtMillis;
        return at == 0 ? "no rules are in force" : "the rules loaded at " + Instant.ofEpochMilli(at) + " stay in force";
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Paths.get(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
