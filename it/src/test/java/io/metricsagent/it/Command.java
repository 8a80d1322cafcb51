package io.metricsagent.it;

import java.nio.file.Path;
import java.util.List;

/** One run of {@code java -jar metrics-agent.jar ...}, to its end. */
final class Command {
    final int exit;
    final List<String> stdout;
    final List<String> stderr;
    private final String description;

    private Command(int exit, List<String> stdout, List<String> stderr, String description) {
        this.exit = exit;
        this.stdout = stdout;
        this.stderr = stderr;
        this.description = description;
    }

    static Command run(Path java, String... args) throws Exception {
        try (JvmProcess process = AgentJvm.on(java).jar(Artifacts.agentJar()).args(args).start()) {
            int exit = process.awaitExit();
            return new Command(exit, process.stdout(), process.stderr(), process.describe());
        }
    }

    String describe() {
        return "exit " + exit + ": " + description;
    }
}
