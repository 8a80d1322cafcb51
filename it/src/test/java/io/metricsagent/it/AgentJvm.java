package io.metricsagent.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a JVM a test runs, with or without the agent, built in one place so that
 * every test spells {@code -javaagent:<jar>=<options>} the same way:
 * {@code AgentJvm.on(java).agent("port=0", "host=127.0.0.1").jar(Artifacts.sampleJar()).args("--exit").start()}.
 */
final class AgentJvm {

    private final Path java;
    private final List<String> flags = new ArrayList<>();
    private final List<String> flagsAfter = new ArrayList<>();
    private final List<String> agentOptions = new ArrayList<>();
    private boolean withAgent;
    private final List<String> program = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    private AgentJvm(Path java) {
        this.java = java;
    }

    static AgentJvm on(Path java) {
        return new AgentJvm(java);
    }

    /** Runs the JVM under the agent jar the build made, with these options (joined by commas). */
    AgentJvm agent(String... options) {
        withAgent = true;
        agentOptions.addAll(List.of(options));
        return this;
    }

    /** JVM flags, placed before the agent. */
    AgentJvm flags(String... jvmFlags) {
        flags.addAll(List.of(jvmFlags));
        return this;
    }

    /** JVM flags, placed after the agent: another agent that should start after it. */
    AgentJvm flagsAfterAgent(String... jvmFlags) {
        flagsAfter.addAll(List.of(jvmFlags));
        return this;
    }

    AgentJvm jar(Path jar) {
        program.clear();
        program.addAll(List.of("-jar", jar.toString()));
        return this;
    }

    AgentJvm main(String classPath, String mainClass) {
        program.clear();
        program.addAll(List.of("-cp", classPath, mainClass));
        return this;
    }

    /** Arguments of the application's main method. */
    AgentJvm args(String... programArgs) {
        args.addAll(List.of(programArgs));
        return this;
    }

    AgentJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    List<String> arguments() {
        List<String> arguments = new ArrayList<>(flags);
        if (withAgent) {
            String options = agentOptions.isEmpty() ? "" : "=" + String.join(",", agentOptions);
            arguments.add("-javaagent:" + Artifacts.agentJar() + options);
        }
        arguments.addAll(flagsAfter);
        arguments.addAll(program);
        arguments.addAll(args);
        return arguments;
    }

    JvmProcess start() throws IOException {
        return JvmProcess.start(java, arguments(), env);
    }
}
