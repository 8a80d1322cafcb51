package io.metricsagent.agent;

import io.metricsagent.agent.config.AgentOptions;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Entry point named in the agent jar's manifest. Premain only parses the options, puts the bridge
 * on the bootstrap class path and registers a transformer; the exporter and the host sampler start
 * on a daemon thread, so that the application's {@code main} is not kept waiting. Nothing here
 * ever throws into the JVM: a failure is one {@code [metrics-agent]} line and the application runs
 * on without metrics.
 */
public final class MetricsAgent {

    private static boolean started;

    private MetricsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        if (!startOrReport(args, inst)) {
            // strict=true: the user asked for a JVM that does not run with a bad configuration.
            System.exit(1);
        }
    }

    /**
     * Loaded into a running JVM by attach: the same start, for classes loaded from now on. With
     * strict=true a bad configuration fails the attach, never the running application.
     */
    public static void agentmain(String args, Instrumentation inst) {
        if (!startOrReport(args, inst)) {
            throw new IllegalArgumentException("metrics-agent not started: bad configuration (strict=true)");
        }
    }

    /** Returns false only when starting failed and strict=true asks to fail hard. */
    private static synchronized boolean startOrReport(String args, Instrumentation inst) {
        // A second -javaagent, or an attach to a JVM that already has the agent, would weave every
        // method twice and count every call twice.
        if (started) {
            AgentLog.info("already running in this JVM; the second start (" + (args == null ? "" : args) + ") is ignored");
            return true;
        }
        started = true;
        boolean strict = AgentOptions.strictRequested(args);
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            AgentLog.info("bad configuration: " + e.getMessage() + (strict
                    ? "; strict=true, stopping" : "; the application runs without metrics"));
            return !strict;
        } catch (Throwable t) {
            AgentLog.warn("not started, the application runs without metrics", t);
            return !strict;
        }
        try {
            start(options, inst);
        } catch (Throwable t) {
            AgentLog.warn("not started" + (strict ? "; strict=true, stopping" : ", the application runs without metrics"), t);
            return !strict;
        }
        return true;
    }

    private static void start(AgentOptions options, Instrumentation inst) throws Exception {
        inst.appendToBootstrapClassLoaderSearch(new JarFile(BridgeJar.extract()));
        AgentRuntime.start(options, inst);
    }
}
