package io.metricsagent.agent;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.report.FailurePolicy;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Entry point named in the agent jar's manifest. Premain only puts the bridge on the bootstrap
 * class path, starts the weaver's warm-up, parses the options and registers a transformer; the
 * exporter and the host sampler start on a daemon thread, so that the application's {@code main}
 * is not kept waiting. What a failure
 * does to the JVM is {@link FailurePolicy}'s alone to decide.
 */
public final class MetricsAgent {

    private static final String RUNS_ON = "the application runs without metrics";

    private static boolean started;
    private static boolean bridgeAppended;

    private MetricsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /**
     * Loaded into a running JVM by attach: the same start, then the classes loaded before it
     * that carry the annotations are woven by retransformation (see {@link AgentRuntime}).
     */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        // A second -javaagent, or an attach to a JVM that already has the agent, would weave every
        // method twice and count every call twice.
        if (started) {
            AgentLog.info("already running in this JVM; the second start (" + (args == null ? "" : args) + ") is ignored");
            return;
        }
        // First, so that the weaver warms up on its own thread while the options (a YAML file's
        // rules, say) are read here: the application's first class to weave then finds it loaded.
        Throwable bridgeProblem = null;
        AgentRuntime.WarmUp warmUp = null;
        try {
            appendBridge(inst);
            warmUp = AgentRuntime.warmUp();
        } catch (Throwable t) {
            bridgeProblem = t;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            // Nothing has started: an attach with corrected options may follow.
            unparsed(args, attached).failed("bad configuration: " + e.getMessage(), null, RUNS_ON);
            return;
        } catch (Throwable t) {
            unparsed(args, attached).failed("not started", t, RUNS_ON);
            return;
        }
        if (options.configProblem() != null) {
            // strict as far as it can be read, the bad file included: it may be what asks for it.
            unparsed(args, attached).failed("bad configuration: " + options.configProblem(), null,
                    "the agent runs without the config file");
        }
        started = true;
        // What `list` and `attach` read from outside, and what refuses a second attach.
        AgentProperties.publish(AgentProperties.VERSION, AgentProperties.version());
        FailurePolicy policy = new FailurePolicy(options.strict(), attached);
        if (bridgeProblem != null) {
            policy.failed("not started", bridgeProblem, RUNS_ON);
            return;
        }
        if (options.presetsProblem() != null) {
            policy.failed("bad configuration: " + options.presetsProblem(), null, "the other presets are in force");
        }
        try {
            AgentRuntime.start(options, policy, inst, warmUp);
        } catch (Throwable t) {
            policy.failed("not started", t, RUNS_ON);
        }
    }

    /** The policy when the options could not be parsed: strict as far as they can be read. */
    private static FailurePolicy unparsed(String args, boolean attached) {
        return new FailurePolicy(AgentOptions.strictRequested(args), attached);
    }

    /** Once per JVM: an attach refused for its options may be followed by one with better. */
    private static void appendBridge(Instrumentation inst) throws IOException {
        if (!bridgeAppended) {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(BridgeJar.extract()));
            bridgeAppended = true;
        }
    }
}
