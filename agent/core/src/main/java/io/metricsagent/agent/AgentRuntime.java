package io.metricsagent.agent;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.host.HostSampler;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.server.MetricsServer;
import io.metricsagent.agent.weaving.MeteredClassTransformer;
import java.lang.instrument.Instrumentation;

/**
 * Wires the agent once the bridge is on the bootstrap path (a separate class from
 * {@link MetricsAgent}, so that nothing here links before that).
 */
final class AgentRuntime {

    private AgentRuntime() {}

    static void start(AgentOptions options, Instrumentation inst) {
        AgentMetrics.configure(options);
        inst.addTransformer(new MeteredClassTransformer(), true);
        // Thread names differ in their first 15 characters, all that /proc and top -H show.
        Thread starter = new Thread(new Starter(options), "metrics-start");
        starter.setDaemon(true);
        starter.start();
    }

    // A class, not a lambda: the first lambda bootstraps java.lang.invoke, on premain's clock.
    private static final class Starter implements Runnable {
        private final AgentOptions options;

        Starter(AgentOptions options) {
            this.options = options;
        }

        @Override
        public void run() {
            startInBackground(options);
        }
    }

    private static void startInBackground(AgentOptions options) {
        AgentMetrics metrics;
        try {
            MetricsServer.start(options, AgentMetrics.registry());
            metrics = AgentMetrics.get();
            AgentMetrics.registry().register(new AgentHealth(metrics));
        } catch (Throwable t) {
            AgentLog.warn("metrics could not be set up, the application runs without them", t);
            return;
        }
        if (options.hostMetrics()) {
            HostSampler.start(AgentMetrics.registry(), options.intervalSeconds());
        }
    }
}
