package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent costs the application's main thread until its first metered call is recorded,
 * in classes: the sample makes one payment and prints its summary, under {@code -Xlog:class+load}
 * with each load's thread, and the classes of the agent (its own and its shaded libraries) that
 * main loaded before the summary line are counted. Start-up work belongs on the agent's
 * metrics-start thread; a class that moves onto main's path shows here.
 */
class StartupClassesIT {

    /**
     * Measured on 2 cores, 8 runs each (2026-12-06): 60-87 on JDK 17 and 68-87 on Temurin 25, the
     * jar before the bridge's per-loader tables 54-91 and 58-84 in the same hour (12 runs each
     * earlier: 53-71 and 59-77). The figure varies with how far the warm-up thread's weaving gets
     * before main meets its first annotated class (main loads whatever that thread has not yet),
     * more so on a busy machine, so the budget sits about 20 % above the highest: what it catches
     * is the start-up threads' work (the HTTP server, the client library, the JVM's collectors:
     * hundreds of classes) moving onto main, not a class or two.
     */
    private static final int BUDGET = 110;
    private static final String SUMMARY = "summary requests=";
    private static final String MAIN_CLASS = "io.metricsagent.sample.PaymentServiceMain";
    /** A class+load line decorated with the loading thread's id: {@code [tid] name source: ...}. */
    private static final Pattern LOADED = Pattern.compile("^\\[(\\d+)] (\\S+) source: ");

    @OnEveryJdk
    void theAgentLoadsFewClassesOnMainBeforeTheFirstCallIsRecorded(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).flags("-Xlog:class+load=info:stdout:tid").agent("port=0", "host=127.0.0.1")
                .jar(Artifacts.sampleJar()).args("--requests", "1", "--speed", "0", "--exit").start()) {
            assertEquals(0, app.awaitExit(), () -> String.join("\n", app.stderr()));
            List<String> agentClasses = new ArrayList<>();
            List<String> agentLambdas = new ArrayList<>();
            // Main is the thread that loads the sample's main class: the first line of the log may
            // be another thread's, as the JVM's own threads start loading beside it.
            String mainThread = null;
            for (String line : app.stdout()) {
                Matcher loaded = LOADED.matcher(line);
                if (loaded.find() && loaded.group(2).equals(MAIN_CLASS)) {
                    mainThread = loaded.group(1);
                    break;
                }
            }
            assertNotNull(mainThread, "no load of " + MAIN_CLASS + " in the log");
            boolean summary = false;
            for (String line : app.stdout()) {
                // The summary is printed on the same stdout as the log: what follows it loaded after.
                if (line.startsWith(SUMMARY)) {
                    summary = true;
                    break;
                }
                Matcher loaded = LOADED.matcher(line);
                if (!loaded.find()) {
                    continue;
                }
                String name = loaded.group(2);
                if (!loaded.group(1).equals(mainThread) || !isAgents(name)) {
                    continue;
                }
                // A lambda of the agent's, named after the class that holds it, is the first
                // lambda's bootstrap of java.lang.invoke on main that StartupPathsTest forbids.
                (name.contains("$$Lambda") ? agentLambdas : agentClasses).add(name);
            }
            assertTrue(summary, "no summary line on stdout");
            assertEquals(List.of(), agentLambdas, "lambdas of the agent's loaded on main");
            assertTrue(agentClasses.size() <= BUDGET, agentClasses.size() + " of the agent's classes loaded on main before"
                    + " the first call was recorded, over the budget of " + BUDGET + ": " + String.join(" ", agentClasses));
            // The count cannot be trivially low: premain itself loads the agent's entry point.
            assertTrue(agentClasses.contains("io.metricsagent.agent.MetricsAgent"), String.join(" ", agentClasses));
        }
    }

    /** The agent's own classes and its shaded libraries', not the sample's (io.metricsagent.sample). */
    private static boolean isAgents(String className) {
        return className.startsWith("io.metricsagent.") && !className.startsWith("io.metricsagent.sample.");
    }
}
