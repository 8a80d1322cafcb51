package io.metricsagent.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.config.AgentOptions;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The decisions that do not end this JVM; the ones that do are held by FaultsIT in JVMs of their own. */
class FailurePolicyTest {

    @RegisterExtension
    final Stderr stderr = new Stderr();

    @Test
    void onlyStrictPremainStopsTheJvm() {
        assertEquals(false, new FailurePolicy(false, false).stopsJvm());
        assertEquals(true, new FailurePolicy(true, false).stopsJvm());
        assertEquals(false, new FailurePolicy(false, true).stopsJvm());
        assertEquals(false, new FailurePolicy(true, true).stopsJvm());
    }

    @Test
    void unparsedOptionsAreStrictAsFarAsTheyCanBeRead(@TempDir Path dir) throws Exception {
        assertEquals(true, new FailurePolicy(AgentOptions.strictRequested("prot=1, strict = true"), false).stopsJvm());
        assertEquals(false, new FailurePolicy(AgentOptions.strictRequested("prot=1, strict = true"), true).stopsJvm());
        assertEquals(false, new FailurePolicy(AgentOptions.strictRequested("prot=1, strict = yes"), false).stopsJvm());
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "strict=true\nprot=1\n");
        assertEquals(true, new FailurePolicy(AgentOptions.strictRequested("config=" + config), false).stopsJvm());
        assertEquals(false, new FailurePolicy(AgentOptions.strictRequested("config=" + config + ",strict=false"), false).stopsJvm());
    }

    @Test
    void aFailureThatDoesNotStopTheJvmIsOneLine() {
        new FailurePolicy(false, false).failed("bad configuration: port=x is not a whole number", null,
                "the application runs without metrics");
        new FailurePolicy(false, true).failed("metrics endpoint not started on *:1", new BindException("Address already in use"),
                "metrics are still recorded");
        new FailurePolicy(true, true).failed("metrics endpoint not started on *:1", new BindException("Address already in use"),
                "metrics are still recorded");
        assertEquals("[metrics-agent] bad configuration: port=x is not a whole number; the application runs without metrics\n"
                + "[metrics-agent] metrics endpoint not started on *:1: BindException: Address already in use;"
                + " metrics are still recorded\n"
                + "[metrics-agent] metrics endpoint not started on *:1: BindException: Address already in use;"
                + " metrics are still recorded (strict=true never stops a JVM the agent was attached to)\n", stderr.text());
    }
}
