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

    private MetricsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        try {
            start(AgentOptions.parse(args), inst);
        } catch (Throwable t) {
            AgentLog.warn("not started, the application runs without metrics", t);
        }
    }

    /** Loaded into a running JVM by attach: the same start, for classes loaded from now on. */
    public static void agentmain(String args, Instrumentation inst) {
        premain(args, inst);
    }

    private static void start(AgentOptions options, Instrumentation inst) throws Exception {
        inst.appendToBootstrapClassLoaderSearch(new JarFile(BridgeJar.extract()));
        AgentRuntime.start(options, inst);
    }
}
