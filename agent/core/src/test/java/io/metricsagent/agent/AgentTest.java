package io.metricsagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.weaving.MeteredClassTransformer;
import io.metricsagent.bootstrap.GaugeBridge;
import io.metricsagent.bootstrap.MeterBridge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent as one object: what a fresh one serves, and that the weaver's warm-up counts nowhere in it. */
class AgentTest {

    @Test
    void aWarmUpLeavesEveryCounterOfTheAgentAtZeroAndDeclaresNothingItServes() throws IOException {
        Agent agent = new Agent(AgentOptions.parse("port=0"), null);
        agent.registerMetrics();
        // The bridge's counters are the JVM's, shared with every other test: only what the warm-up adds counts here.
        long adviceErrors = MeterBridge.errors() + GaugeBridge.errors();
        int recorders = MeterBridge.registered();
        int freeRecorders = MeterBridge.slots() - recorders;
        int trackers = GaugeBridge.registered();
        int freeTrackers = GaugeBridge.slots() - trackers;

        assertTrue(MeteredClassTransformer.warmUp(), "the warm-up class was woven");

        assertEquals(adviceErrors, MeterBridge.errors() + GaugeBridge.errors());
        assertEquals(0, agent.weaving.instrumentedMethods());
        assertEquals(0, agent.weaving.failures());
        assertEquals(0, agent.metrics.families().failures());
        assertEquals(0, agent.metrics.gauges().failures());
        assertTrue(agent.metrics.gauges().unknownLabels().isEmpty());
        assertTrue(agent.metrics.foldedCalls().isEmpty());
        assertEquals(List.of(
                "metrics_agent_info{version=\"" + AgentProperties.version() + "\"} 1",
                "metrics_agent_bridge_slots{state=\"free\",table=\"gauge_trackers\"} " + (double) freeTrackers,
                "metrics_agent_bridge_slots{state=\"free\",table=\"recorders\"} " + (double) freeRecorders,
                "metrics_agent_bridge_slots{state=\"used\",table=\"gauge_trackers\"} " + (double) trackers,
                "metrics_agent_bridge_slots{state=\"used\",table=\"recorders\"} " + (double) recorders,
                "metrics_agent_instrumented_methods 0.0",
                "metrics_agent_internal_errors_total{component=\"advice\"} " + (double) adviceErrors,
                "metrics_agent_internal_errors_total{component=\"gauge\"} 0.0",
                "metrics_agent_internal_errors_total{component=\"host_sampler\"} 0.0",
                "metrics_agent_internal_errors_total{component=\"jvm_metrics\"} 0.0",
                "metrics_agent_transformation_errors_total 0.0"), samples(agent));
    }

    /** The sample lines the agent serves. */
    private static List<String> samples(Agent agent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, agent.served().scrape());
        List<String> samples = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isEmpty()) {
                samples.add(line);
            }
        }
        return samples;
    }
}
