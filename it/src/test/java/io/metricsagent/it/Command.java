package io.metricsagent.it;

import java.nio.file.Path;
import java.util.ArrayList;
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
        List<String> command = new ArrayList<>(List.of("-jar", Artifacts.agentJar().toString()));
        command.addAll(List.of(args));
        try (JvmProcess process = JvmProcess.start(java, command)) {
            int exit = process.awaitExit();
            return new Command(exit, process.stdout(), process.stderr(), process.describe());
        }
    }

    String describe() {
        return "exit " + exit + ": " + description;
    }
}
