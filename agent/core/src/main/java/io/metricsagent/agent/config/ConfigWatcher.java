package io.metricsagent.agent.config;

import io.metricsagent.agent.report.AgentLog;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the YAML config file and puts its rules in force when it changes, without a restart:
 * the affected loaded classes are woven again. The file is compared by content every
 * {@code watch_interval_ms} (a change of time stamp alone, or a file replaced by a link swap as
 * Kubernetes does with a ConfigMap, is seen the same way). A file that does not read keeps the rules last loaded, with one
 * line; the other options are read at start only, and a change to them says so.
 */
public final class ConfigWatcher implements Runnable {

    /** What a good reload hands the file's rules and gauges to. */
    public interface RulesInForce {
        /**
         * Puts the rules and gauges of {@code next} in force in place of those in force.
         *
         * @return what changed, for the line that says the file was reloaded
         */
        String replace(AgentOptions next);
    }

    /** How long a changed file must hold still before it is read, at most: an editor may be half way through writing it. */
    private static final long SETTLE_MILLIS = 200;

    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** When the rules in force were loaded, in milliseconds since the epoch; 0 before they ever were. */
    private volatile long loadedAtMillis;
    private volatile boolean watching;
    /** The last reload's outcome, or {@code null} before the file first changed. */
    private volatile Reload lastReload;

    private final AgentOptions started;
    private final RulesInForce rules;
    private byte[] seen;

    public ConfigWatcher(AgentOptions started, RulesInForce rules) {
        this.started = started;
        this.rules = rules;
    }

    /**
     * Starts watching, when {@code config=} names a YAML file and {@code watch_config} is not
     * false. Call as soon as the options are read, so that no change after that is missed.
     */
    public void start() {
        if (!started.configIsYaml()) {
            return;
        }
        if (started.configProblem() == null) {
            loadedAtMillis = System.currentTimeMillis();
        }
        if (!started.watchConfig()) {
            return;
        }
        watching = true;
        seen = ConfigFile.bytes(started.configFile());
        Thread thread = new Thread(this, "metrics-config");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether a config file is watched: the reload metrics are served only then. */
    public boolean watching() {
        return watching;
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }

    public long loadedAtMillis() {
        return loadedAtMillis;
    }

    /** What the last reload did, as its line said, or {@code null} when the file has not changed since the start. */
    public Reload lastReload() {
        return lastReload;
    }

    /** One reload's outcome. */
    public static final class Reload {
        public final long atMillis;
        public final boolean succeeded;
        /** What changed, or why the file was not taken. */
        public final String message;

        Reload(boolean succeeded, String message) {
            this.atMillis = System.currentTimeMillis();
            this.succeeded = succeeded;
            this.message = message;
        }
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(started.watchIntervalMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                byte[] now = ConfigFile.bytes(started.configFile());
                if (!Arrays.equals(now, seen)) {
                    Thread.sleep(Math.min(SETTLE_MILLIS, started.watchIntervalMillis()));
                    byte[] settled = ConfigFile.bytes(started.configFile());
                    if (Arrays.equals(now, settled)) {
                        seen = settled;
                        reload(settled != null);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                lastReload = new Reload(false, AgentLog.describe(t));
                AgentLog.warn("config=" + started.configFile() + " could not be reloaded; " + stays(), t);
                failed.incrementAndGet();
            }
        }
    }

    private void reload(boolean readable) {
        AgentOptions next = readable ? started.reread() : null;
        if (next == null || next.configProblem() != null) {
            String problem = next == null ? "config=" + started.configFile() + " cannot be read" : next.configProblem();
            lastReload = new Reload(false, problem);
            AgentLog.info(problem + "; " + stays());
            // Counted once said: whoever sees the count sees the line too.
            failed.incrementAndGet();
            return;
        }
        String change = rules.replace(next);
        loadedAtMillis = System.currentTimeMillis();
        lastReload = new Reload(true, change);
        AgentLog.info("config=" + started.configFile() + " reloaded: " + change);
        succeeded.incrementAndGet();
        Set<String> options = started.differingSettings(next);
        if (!options.isEmpty()) {
            AgentLog.info("config=" + started.configFile() + ": " + String.join(", ", options)
                    + " changed, which takes effect at the next start");
        }
    }

    private String stays() {
        long at = loadedAtMillis;
        return at == 0 ? "no rules are in force" : "the rules loaded at " + Instant.ofEpochMilli(at) + " stay in force";
    }
}
