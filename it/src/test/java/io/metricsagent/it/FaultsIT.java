package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever goes wrong inside the agent, the application runs exactly as it would without it, and
 * the agent says what went wrong in one line.
 */
class FaultsIT {

    static final String VALID = "valid options are: port, host, interval, host_metrics, jvm_metrics,"
            + " native_histograms, exemplars, max_series, max_label_length, strict, config, watch_config, watch_interval_ms,"
            + " presets, auth_user,"
            + " auth_password_file, auth_password_env, tls_keystore, tls_keystore_password_file,"
            + " tls_keystore_password_env, labels, push_url, push_job, push_grouping, push_interval, push_timeout,"
            + " push_auth_user, push_auth_password_file, push_auth_password_env, push_tls_truststore,"
            + " push_tls_truststore_password_file, push_tls_truststore_password_env";
    private static final String RUNS_ON = "; the application runs without metrics";
    private static final String ATTACHED = " (strict=true never stops a JVM the agent was attached to)";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "prot=1|unknown option 'prot'; " + VALID,
        "port=abc|port=abc is not a whole number",
        "port=70000|port=70000 is out of range 0..65535",
        "interval=0|interval=0 is out of range 1..3600",
        "max_series=0|max_series=0 is out of range 1..1000000",
        "auth_user=prometheus|auth_user is set but neither auth_password_file nor auth_password_env",
        "auth_password=hunter2|auth_password is not accepted: secrets on the command line are visible to every user"
                + " of the host; use auth_password_file or auth_password_env",
        "tls_keystore=/nonexistent.p12|tls_keystore=/nonexistent.p12 cannot be read",
    })
    void badConfigurationIsOneLineAndTheApplicationRuns(String options, String message) throws Exception {
        try (JvmProcess app = sample(options, "--exit")) {
            assertEquals(0, app.awaitExit(), app::describe);
            assertTrue(app.stdout().get(0).startsWith("summary requests=20 "), app::describe);
            assertEquals(List.of("[metrics-agent] bad configuration: " + message + RUNS_ON), agentLines(app));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"prot=1,strict=true", "prot=1, strict = true", "prot=1,\tstrict=TRUE ", "config={file}"})
    void strictStopsTheJvmOnABadConfiguration(String options, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "strict=true\nprot=1\n");
        try (JvmProcess app = sample(options.replace("{file}", config.toString()), "--exit")) {
            assertEquals(1, app.awaitExit(), app::describe);
            assertEquals(List.of(), app.stdout());
            assertEquals(List.of("[metrics-agent] bad configuration: unknown option 'prot'; " + VALID
                    + "; strict=true, stopping the JVM"), agentLines(app));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"host=127.0.0.1,port={port},strict=true", "config={file}"})
    void strictStopsTheJvmWhenThePortIsTakenAtStart(String options, @TempDir Path dir) throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            Path config = dir.resolve("agent.properties");
            Files.writeString(config, "host=127.0.0.1\nport=" + port + "\nstrict=true\n");
            // Without --exit the sample never ends by itself: only the agent can end it.
            try (JvmProcess app = sample(options.replace("{port}", String.valueOf(port)).replace("{file}", config.toString()))) {
                assertEquals(1, app.awaitExit(), app::describe);
                assertEquals(List.of("[metrics-agent] metrics endpoint not started on 127.0.0.1:" + port
                        + ": BindException: Address already in use; strict=true, stopping the JVM"), agentLines(app));
            }
        }
    }

    /**
     * An attach never ends the JVM, strict or not: the application is already at work. The second
     * attach also shows that one refused for its options leaves the agent free to be attached again.
     */
    @OnEveryJdk
    void anAttachWithStrictReportsAndTheApplicationRunsOn(String jdk, Path java) throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                JvmProcess app = AgentJvm.on(java).flags("-XX:+EnableDynamicAgentLoading")
                        .main(Artifacts.classPath(Artifacts.faultDir(), "fault-app"), "io.metricsagent.it.faults.FaultApp")
                        .args("faults").start()) {
            int port = squatter.getLocalPort();
            app.awaitStdout("^ready$");
            File agent = Artifacts.agentJar().toFile();
            String pid = String.valueOf(app.pid());

            ByteBuddyAgent.attach(agent, pid, "prot=1, strict = true");
            app.awaitStderr("bad configuration");
            ByteBuddyAgent.attach(agent, pid, "strict=true,host=127.0.0.1,port=" + port);
            app.awaitStderr("metrics endpoint not started");
            assertEquals(List.of(
                    "[metrics-agent] bad configuration: unknown option 'prot'; " + VALID + RUNS_ON + ATTACHED,
                    "[metrics-agent] metrics endpoint not started on 127.0.0.1:" + port + ": BindException: Address already"
                            + " in use; metrics are still recorded, retrying every 10 s (choose another port with port=)"
                            + ATTACHED), agentLines(app));

            squatter.close();
            app.awaitStderr("serving metrics on http://127.0.0.1:" + port + "/metrics");
            assertEquals(200, Exposition.get(port, "/-/healthy", "*/*").statusCode());
            assertEquals(3, agentLines(app).size(), app::describe);
        }
    }

    @Test
    void aConfigFileThatCannotBeReadIsLeftOutAndTheAgentRunsWithoutIt() throws Exception {
        try (JvmProcess app = sample("config=/nonexistent/agent.properties,host=127.0.0.1,port=0")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            assertEquals(List.of("[metrics-agent] bad configuration: config=/nonexistent/agent.properties cannot be read:"
                    + " there is no such file; the agent runs without the config file", "[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    agentLines(app));
            assertEquals(20, Exposition.scrape(port).counter("payment_requests_total"));
        }
    }

    @Test
    void configFileSetsOptionsAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "host=127.0.0.1\nport=1\n");
        try (JvmProcess app = sample("config=" + config + ",port=0")) {
            assertTrue(app.awaitStderr("serving metrics on http://127.0.0.1:\\d+/metrics").group().length() > 0);
            app.awaitStdout("^summary ");
            assertEquals(20, Exposition.scrape(app.metricsPort()).counter("payment_requests_total"));
        }
    }

    @Test
    void takenPortIsNamedMetricsAreKeptAndServedOnceThePortFrees() throws Exception {
        ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = squatter.getLocalPort();
        try (JvmProcess app = sample("host=127.0.0.1,port=" + port)) {
            app.awaitStdout("^summary requests=20 ");
            // The endpoint starts in the background and may try after the sample is done.
            app.awaitStderr("metrics endpoint not started on ");
            assertEquals(List.of("[metrics-agent] metrics endpoint not started on 127.0.0.1:" + port
                    + ": BindException: Address already in use; metrics are still recorded, retrying every 10 s"
                    + " (choose another port with port=)"), agentLines(app));
            squatter.close();
            app.awaitStderr("serving metrics on http://127.0.0.1:" + port + "/metrics");
            assertEquals(20, Exposition.scrape(port).counter("payment_requests_total"));
        } finally {
            squatter.close();
        }
    }

    @Test
    void aSecondJavaagentIsIgnoredSoNoCallCountsTwice() throws Exception {
        List<String> args = sampleJvm("host=127.0.0.1,port=0").arguments();
        args.add(1, "-javaagent:" + Artifacts.agentJar() + "=port=1");
        try (JvmProcess app = JvmProcess.start(Jdks.current(), args, Map.of())) {
            app.awaitStdout("^summary requests=20 ");
            int port = app.metricsPort();
            assertEquals(20, Exposition.scrape(port).counter("payment_requests_total"));
            // The sample's two metered methods (the payment and the fraud check), each woven once.
            assertEquals(2, Exposition.scrape(port).gauge("metrics_agent_instrumented_methods"));
            assertEquals(Set.of("[metrics-agent] already running in this JVM; the second start (port=1) is ignored",
                    "[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"), Set.copyOf(agentLines(app)));
            assertEquals(2, agentLines(app).size());
        }
    }

    @Test
    void aJvmWithoutTheHttpServerModuleIsToldHowToAddIt() throws Exception {
        // What a modular application started with -m looks like to the agent: jdk.httpserver and
        // java.management unresolved.
        try (JvmProcess app = sampleJvm("host=127.0.0.1,port=0").flags("--limit-modules", "java.base,java.instrument")
                .args("--exit").start()) {
            assertEquals(0, app.awaitExit(), app::describe);
            assertTrue(app.stdout().get(0).startsWith("summary requests=20 "), app::describe);
            assertEquals(List.of("[metrics-agent] metrics endpoint not started: this JVM runs without the jdk.httpserver"
                    + " module (as a modular application started with -m does); add --add-modules jdk.httpserver;"
                    + " metrics are still recorded",
                    "[metrics-agent] JVM metrics are off: this JVM runs without the java.management module (as a modular"
                    + " application started with -m may); add --add-modules java.management"), agentLines(app));
        }
        // With the endpoint's module and without java.management: served, without the JVM metrics.
        try (JvmProcess app = sampleJvm("host=127.0.0.1,port=0")
                .flags("--limit-modules", "java.base,java.instrument,java.logging,jdk.httpserver").start()) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            Exposition metrics = Exposition.scrape(port);
            assertEquals(20, metrics.counter("payment_requests_total"));
            assertFalse(metrics.has("jvm_threads_current"));
            assertEquals(0, metrics.counter("metrics_agent_internal_errors_total", "component=jvm_metrics"));
            assertEquals(List.of("[metrics-agent] JVM metrics are off: this JVM runs without the java.management module"
                    + " (as a modular application started with -m may); add --add-modules java.management",
                    "[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"), agentLines(app));
        }
    }

    @Test
    void failingHostSamplerIsOneWarningAndEverythingElseWorks() throws Exception {
        try (JvmProcess app = sampleJvm("host=127.0.0.1,port=0,interval=1")
                .flags("-Dio.metricsagent.shaded.oshi.util.proc.path=/nonexistent").start()) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            app.awaitStderr("host metrics are off");
            Exposition metrics = Exposition.scrape(port);
            assertFalse(metrics.has("memory_usage_bytes"));
            assertFalse(metrics.has("cpu_usage_percent"));
            assertEquals(1, metrics.counter("metrics_agent_internal_errors_total", "component=host_sampler"));
            assertEquals(20, metrics.counter("payment_requests_total"));
            assertEquals(2, agentLines(app).size(), app::describe);
        }
    }

    @Test
    void failuresInsideTheAgentAreSwallowedAndCounted() throws Exception {
        try (JvmProcess app = AgentJvm.on(Jdks.current()).agent("host=127.0.0.1", "port=0")
                .main(Artifacts.classPath(Artifacts.faultDir(), "fault-app"), "io.metricsagent.it.faults.FaultApp")
                .args("faults").start()) {
            int port = app.metricsPort();
            app.awaitStdout("^ready$");
            assertEquals(10, app.stdout().stream().filter(l -> l.equals("result paid")).count(), app::describe);

            Exposition first = Exposition.scrape(port);
            assertEquals(10, first.counter("metrics_agent_internal_errors_total", "component=advice"));
            assertFalse(first.has("exploding_gauge"));
            double gaugeErrors = Exposition.scrape(port).counter("metrics_agent_internal_errors_total", "component=gauge");
            Exposition third = Exposition.scrape(port);
            assertEquals(gaugeErrors + 1, third.counter("metrics_agent_internal_errors_total", "component=gauge"),
                    "each scrape reads the throwing accessor once");
            assertEquals(0, third.counter("metrics_agent_transformation_errors_total"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"), agentLines(app));
        }
    }

    private static JvmProcess sample(String agentOptions, String... extra) throws Exception {
        return sampleJvm(agentOptions).args(extra).start();
    }

    /** The sample under the agent with these options, making 20 payments at full speed. */
    private static AgentJvm sampleJvm(String agentOptions) {
        return AgentJvm.on(Jdks.current()).agent(agentOptions).jar(Artifacts.sampleJar())
                .args("--requests", "20", "--speed", "0", "--seed", "3");
    }

    /** The agent's own stderr lines (the JVM's warning about the bootstrap path aside). */
    static List<String> agentLines(JvmProcess app) {
        List<String> stderr = app.stderr();
        List<String> foreign = stderr.stream()
                .filter(l -> !l.startsWith("[metrics-agent] ") && !l.contains("Sharing is only supported for boot loader"))
                .collect(Collectors.toList());
        assertEquals(List.of(), foreign, "stderr lines not from the agent");
        return stderr.stream().filter(l -> l.startsWith("[metrics-agent] ")).collect(Collectors.toList());
    }
}
