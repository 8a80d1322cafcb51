package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

/**
 * The annotations alone do nothing: the sample runs without the agent, and with the agent it does
 * exactly the same work (same seed, one thread: the same payments fail).
 */
class WithoutAgentIT {

    private static final String[] SAMPLE_ARGS =
            {"--requests", "60", "--threads", "1", "--speed", "0", "--seed", "7", "--exit"};

    @OnEveryJdk
    void sameBehaviourWithAndWithoutTheAgent(String jdk, Path java) throws Exception {
        try (JvmProcess bare = AgentJvm.on(java).jar(Artifacts.sampleJar()).args(SAMPLE_ARGS).start();
             JvmProcess agent = AgentJvm.on(java).agent("port=0", "host=127.0.0.1")
                     .jar(Artifacts.sampleJar()).args(SAMPLE_ARGS).start()) {
            assertEquals(0, bare.awaitExit(), bare::describe);
            assertEquals(0, agent.awaitExit(), agent::describe);
            assertEquals(6, bare.stdout().size(), bare::describe);
            assertTrue(bare.stdout().get(0).startsWith("summary requests=60 "), bare::describe);
            assertEquals(bare.stdout(), agent.stdout());
            assertEquals(List.of(), bare.stderr());
            for (String line : agent.stderr()) {
                assertTrue(line.startsWith("[metrics-agent] ") || line.contains("Sharing is only supported for boot loader classes"),
                        "unexpected stderr line: " + line);
            }
        }
    }
}
