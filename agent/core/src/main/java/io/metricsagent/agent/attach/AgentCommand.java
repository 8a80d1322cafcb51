package io.metricsagent.agent.attach;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.check.CheckCommand;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.config.Presets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Properties;

/**
 * {@code java -jar metrics-agent.jar list | attach <pid> [options]}: finds local JVMs and loads
 * the agent into one of them through the JDK's attach API; {@code preset [NAME]} lists the shipped
 * presets or prints one; {@code check} is {@link CheckCommand}'s.
 * It runs in a JVM of its own, never in the application's, so it is free to use whatever the JDK offers.
 */
public final class AgentCommand {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar metrics-agent.jar list",
            "         lists the local JVMs of this user: pid, whether metrics-agent runs there, main class or jar",
            "       java -jar metrics-agent.jar attach <pid> [options]",
            "         loads metrics-agent into that JVM; options as after -javaagent:metrics-agent.jar=,"
                    + " e.g. port=9100,host=127.0.0.1",
            CheckCommand.USAGE.replaceFirst("^usage:", "      "),
            "       java -jar metrics-agent.jar preset [NAME]",
            "         lists the presets shipped in the agent, or prints one, a config file's metrics and gauges"
                    + " to copy and adapt");
    static final int USAGE_ERROR = 2;
    static final int FAILED = 1;
    /** How long attach waits for the agent to weave the loaded classes and serve, once loaded. */
    private static final long START_WAIT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 100;

    private final PrintStream out;
    private final PrintStream err;

    AgentCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new AgentCommand(System.out, System.err).run(args));
    }

    int run(String... args) {
        if (args.length > 0 && args[0].equals("check")) {
            return new CheckCommand(out, err).run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args.length <= 2 && args[0].equals("preset")) {
            return preset(args.length == 2 ? args[1] : null);
        }
        boolean list = args.length == 1 && args[0].equals("list");
        boolean attach = (args.length == 2 || args.length == 3) && args[0].equals("attach");
        if (!list && !attach) {
            err.println(USAGE);
            return USAGE_ERROR;
        }
        if (attach && !isPid(args[1])) {
            err.println(args[1] + " is not a process id");
            err.println(USAGE);
            return USAGE_ERROR;
        }
        String options = attach && args.length == 3 ? args[2] : "";
        if (attach) {
            // Before anything touches the other JVM: a refused attach leaves it as it was.
            try {
                AgentOptions.parseForAttach(options);
            } catch (IllegalArgumentException e) {
                err.println("bad configuration: " + e.getMessage() + "; nothing was loaded into " + args[1]);
                return USAGE_ERROR;
            }
        }
        if (!ModuleLayer.boot().findModule("jdk.attach").isPresent()) {
            err.println("this Java runtime has no jdk.attach module: run the command with a JDK's java");
            return FAILED;
        }
        return list ? list() : attach(args[1], options);
    }

    /** Lists the shipped presets, or prints the one named. */
    private int preset(String name) {
        if (name == null) {
            Presets.names().forEach(out::println);
            return 0;
        }
        String text = Presets.text(name);
        if (text == null) {
            err.println("no preset named " + name + "; the presets are " + String.join(", ", Presets.names()));
            err.println(USAGE);
            return USAGE_ERROR;
        }
        out.print(text);
        return 0;
    }

    private static boolean isPid(String text) {
        return !text.isEmpty() && text.length() < 19 && text.chars().allMatch(Character::isDigit);
    }

    private int list() {
        String self = String.valueOf(ProcessHandle.current().pid());
        out.printf("%-8s %-16s %s%n", "PID", "METRICS-AGENT", "MAIN CLASS OR JAR");
        for (VirtualMachineDescriptor jvm : VirtualMachine.list()) {
            if (jvm.id().equals(self)) {
                continue;
            }
            String agent;
            String note;
            try {
                Properties properties = properties(jvm);
                String version = properties.getProperty(AgentProperties.VERSION);
                String endpoint = properties.getProperty(AgentProperties.ENDPOINT);
                agent = version == null ? "-" : version;
                note = endpoint == null ? "" : "   (serving " + endpoint + ")";
            } catch (Exception | LinkageError e) {
                agent = "?";
                note = "   (cannot attach: " + describe(e) + ")";
            }
            String name = jvm.displayName().isEmpty() ? "(no main class known)" : jvm.displayName();
            out.printf("%-8s %-16s %s%s%n", jvm.id(), agent, name, note);
        }
        return 0;
    }

    private static Properties properties(VirtualMachineDescriptor descriptor) throws Exception {
        VirtualMachine jvm = VirtualMachine.attach(descriptor);
        try {
            return jvm.getSystemProperties();
        } finally {
            jvm.detach();
        }
    }

    private int attach(String pid, String options) {
        VirtualMachine jvm;
        try {
            jvm = VirtualMachine.attach(pid);
        } catch (Exception e) {
            err.println("cannot attach to " + pid + ": " + describe(e));
            return FAILED;
        }
        try {
            Properties before = jvm.getSystemProperties();
            if (before.getProperty(AgentProperties.VERSION) != null) {
                err.println("metrics-agent is already running in " + pid);
                String endpoint = before.getProperty(AgentProperties.ENDPOINT);
                if (endpoint != null) {
                    err.println("serving metrics on " + endpoint);
                }
                return FAILED;
            }
            jvm.loadAgent(agentJar().toString(), options);
            return report(pid, jvm);
        } catch (Exception e) {
            err.println("cannot load metrics-agent into " + pid + ": " + describe(e));
            return FAILED;
        } finally {
            try {
                jvm.detach();
            } catch (Exception ignored) {
                // The other JVM has gone away; nothing is left to release.
            }
        }
    }

    /** Waits, bounded, for the agent to say it started, wove the loaded classes and serves. */
    private int report(String pid, VirtualMachine jvm) throws Exception {
        long deadline = System.nanoTime() + START_WAIT_MILLIS * 1_000_000;
        Properties now = properties(jvm, deadline);
        while (System.nanoTime() < deadline && !(now.containsKey(AgentProperties.RETRANSFORMED)
                && now.containsKey(AgentProperties.ENDPOINT))) {
            Thread.sleep(POLL_MILLIS);
            now = properties(jvm, deadline);
        }
        String version = now.getProperty(AgentProperties.VERSION);
        if (version == null) {
            // Its options were refused there (a variable named by *_env that is not set in it).
            err.println("metrics-agent did not start in " + pid + ": its [metrics-agent] line on that JVM's stderr says why");
            return FAILED;
        }
        String classes = now.getProperty(AgentProperties.RETRANSFORMED);
        String endpoint = now.getProperty(AgentProperties.ENDPOINT);
        out.println("metrics-agent " + version + " attached to " + pid + ": "
                + (classes == null ? "still weaving the classes loaded before the attach"
                        : classes + " loaded " + (classes.equals("1") ? "class" : "classes") + " woven") + "; "
                + (endpoint == null ? "metrics endpoint not serving yet: see that JVM's stderr"
                        : "serving metrics on " + endpoint));
        return 0;
    }

    /**
     * The JVM's system properties; asked again while it fails to list them before the deadline:
     * the JDK lists them while the agent's endpoint, starting, takes back two it set (a property
     * gone between its name and its value fails the listing there).
     */
    private static Properties properties(VirtualMachine jvm, long deadline) throws Exception {
        while (true) {
            try {
                return jvm.getSystemProperties();
            } catch (IOException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    private static Path agentJar() throws Exception {
        return Paths.get(AgentCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
