package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar metrics-agent.jar list} and {@code attach}, against the sample started without
 * the agent and making payments only when its stdin asks (--stdin), so that every call is known
 * to have started before or after the attach.
 */
class AttachIT {

    /** The JDK 21+ flag that lets an agent be loaded without a warning; JDK 17 accepts it too. */
    private static final String DYNAMIC_AGENTS = "-XX:+EnableDynamicAgentLoading";
    private static final String LOCAL = "port=0,host=127.0.0.1";

    @OnEveryJdk
    void attachWeavesTheLoadedClassesAndCountsOnlyTheCallsThatStartAfterIt(String jdk, Path java) throws Exception {
        try (JvmProcess app = sample(java, true, "--speed", "0")) {
            String pid = String.valueOf(app.pid());
            // Loads the payment service and the fraud check, unwoven: their calls are not counted.
            String before = round(app, 5, 1);

            Command list = Command.run(java, "list");
            assertEquals(0, list.exit, list::describe);
            assertTrue(list.stdout.get(0).matches("PID +METRICS-AGENT +MAIN CLASS OR JAR"), list::describe);
            assertTrue(list.stdout.contains(listed(pid, "-")), list::describe);

            Command bad = Command.run(java, "attach", pid, "prot=1," + LOCAL);
            assertEquals(2, bad.exit, bad::describe);
            assertEquals(List.of(), bad.stdout);
            assertEquals(List.of("bad configuration: unknown option 'prot'; " + FaultsIT.VALID
                    + "; nothing was loaded into " + pid), bad.stderr);

            Command attach = Command.run(java, "attach", pid, LOCAL);
            assertEquals(0, attach.exit, attach::describe);
            Matcher attached = Pattern.compile("metrics-agent (\\S+) attached to " + pid + ": 3 loaded classes woven;"
                    + " serving metrics on (http://127\\.0\\.0\\.1:(\\d+)/metrics)").matcher(String.join("\n", attach.stdout));
            assertTrue(attached.matches(), attach::describe);
            int port = Integer.parseInt(attached.group(3));
            assertEquals(port, app.metricsPort());

            list = Command.run(java, "list");
            assertTrue(list.stdout.contains(listed(pid, attached.group(1)) + "   (serving " + attached.group(2) + ")"),
                    list::describe);

            String summary = round(app, 10, 2);
            Exposition m = Exposition.scrape(port);
            assertEquals(10, m.counter("payment_requests_total"));
            assertEquals(count(summary, "succeeded"), m.counter("payment_requests_total", "status=success"));
            assertEquals(count(summary, "failed"), m.counter("payment_requests_total", "status=failed"));
            assertEquals(count(summary, "failed"), m.counter("errors_total"));
            assertEquals(10, m.histogramCount("payment_duration_seconds"));
            assertEquals(10, m.counter("fraud_checks_total"));
            assertEquals(2, m.gauge("metrics_agent_instrumented_methods"));
            assertEquals(0, m.counter("metrics_agent_transformation_errors_total"));
            // The pool was made when the sample started, before the attach: the agent learned it
            // from its first call since (each success takes one more connection, up to 20).
            assertEquals(Math.min(20, 15 + count(before, "succeeded") + count(summary, "succeeded")),
                    m.gauge("database_connections_active"));
            assertEquals(20, m.gauge("database_connections_max"));

            Command again = Command.run(java, "attach", pid, "port=0,host=127.0.0.1,interval=1");
            assertEquals(1, again.exit, again::describe);
            assertEquals(List.of("metrics-agent is already running in " + pid, "serving metrics on " + attached.group(2)),
                    again.stderr);
            round(app, 5, 3);
            m = Exposition.scrape(port);
            assertEquals(15, m.counter("payment_requests_total"));
            assertEquals(15, m.counter("fraud_checks_total"));
            assertEquals(2, m.gauge("metrics_agent_instrumented_methods"));
            assertEquals(List.of("[metrics-agent] serving metrics on " + attached.group(2)), agentLines(app));
            assertFalse(app.stderr().stream().anyMatch(l -> l.startsWith("WARNING:")), app::describe);
        }
    }

    /**
     * A call running when its method is retransformed finishes in the code it started in: its
     * result is the application's as ever, and it is not counted; the next call is.
     */
    @OnEveryJdk
    void aCallInFlightDuringTheAttachCompletesAndIsNotCounted(String jdk, Path java) throws Exception {
        // With --seed 3 the first payment sleeps 0.319 s × speed: 6.4 s, far longer than an attach.
        try (JvmProcess app = sample(java, true, "--speed", "20")) {
            String pid = String.valueOf(app.pid());
            app.send("1");
            Thread.sleep(500);
            Command attach = Command.run(java, "attach", pid, LOCAL);
            assertEquals(0, attach.exit, attach::describe);
            assertTrue(attach.stdout.get(0).contains(": 3 loaded classes woven;"), attach::describe);
            assertEquals(List.of(), summaries(app), "the call had ended before the attach did: " + app.describe());

            String inFlight = app.awaitStdout("^summary requests=1 .*").group();
            Exposition m = Exposition.scrape(app.metricsPort());
            assertFalse(m.has("payment_requests_total") && m.counter("payment_requests_total") > 0, inFlight);

            assertEquals(inFlight, round(app, 1, 2), "the same payment, made again, behaves the same");
            m = Exposition.scrape(app.metricsPort());
            assertEquals(1, m.counter("payment_requests_total"));
            assertEquals(count(inFlight, "succeeded"), m.counter("payment_requests_total", "status=success"));
        }
    }

    /** What JDK 21 and later print into the application's stderr when an agent is attached without the flag. */
    @Test
    void withoutTheFlagTemurin25WarnsOfTheDynamicallyLoadedAgent() throws Exception {
        Path java = Jdks.all().map(a -> (Path) a.get()[1]).filter(j -> j != null && !j.equals(Jdks.current()))
                .findFirst().orElse(null);
        Jdks.assumeInstalled("temurin25", java);
        try (JvmProcess app = sample(java, false, "--speed", "0")) {
            Command attach = Command.run(java, "attach", String.valueOf(app.pid()), LOCAL);
            assertEquals(0, attach.exit, attach::describe);
            app.awaitStderr("serving metrics on ");
            List<String> warnings = app.stderr().stream().filter(l -> l.startsWith("WARNING:")).collect(Collectors.toList());
            assertEquals(List.of(
                    "WARNING: A Java agent has been loaded dynamically (" + Artifacts.agentJar() + ")",
                    "WARNING: If a serviceability tool is in use, please run with -XX:+EnableDynamicAgentLoading to hide this warning",
                    "WARNING: If a serviceability tool is not in use, please run with -Djdk.instrument.traceUsage for more information",
                    "WARNING: Dynamic loading of agents will be disallowed by default in a future release"), warnings,
                    app::describe);
        }
    }

    @Test
    void noOrUnknownArgumentsPrintUsage() throws Exception {
        for (List<String> args : List.of(List.<String>of(), List.of("status"), List.of("attach"), List.of("attach", "x1"))) {
            Command usage = Command.run(Jdks.current(), args.toArray(new String[0]));
            assertEquals(2, usage.exit, usage::describe);
            assertTrue(usage.stderr.contains("usage: java -jar metrics-agent.jar list"), usage::describe);
        }
    }

    private static JvmProcess sample(Path java, boolean flag, String... options) throws Exception {
        AgentJvm jvm = AgentJvm.on(java).jar(Artifacts.sampleJar()).args("--stdin", "--seed", "3").args(options);
        if (flag) {
            jvm.flags(DYNAMIC_AGENTS);
        }
        return jvm.start();
    }

    /** Makes {@code payments} payments and returns the round's summary, the {@code nth} the sample printed. */
    private static String round(JvmProcess app, int payments, int nth) throws Exception {
        app.send(String.valueOf(payments));
        app.awaitStdout("^summary requests=" + payments + " ");
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        while (summaries(app).size() < nth && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> summaries = summaries(app);
        assertEquals(nth, summaries.size(), app::describe);
        return summaries.get(nth - 1);
    }

    private static List<String> summaries(JvmProcess app) {
        return app.stdout().stream().filter(l -> l.startsWith("summary ")).collect(Collectors.toList());
    }

    private static double count(String summary, String key) {
        Matcher m = Pattern.compile(" " + key + "=(\\d+)").matcher(summary);
        assertTrue(m.find(), summary);
        return Long.parseLong(m.group(1));
    }

    /** The sample's line in {@code list}: the attach API's display name is the jar and its arguments. */
    private static String listed(String pid, String agent) {
        return String.format("%-8s %-16s %s", pid, agent, Artifacts.sampleJar() + " --stdin --seed 3 --speed 0");
    }

    private static List<String> agentLines(JvmProcess app) {
        return app.stderr().stream().filter(l -> l.startsWith("[metrics-agent]")).collect(Collectors.toList());
    }
}
