package io.metricsagent.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.check.CheckCommand;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.config.Presets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AgentCommand command = new AgentCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void noUnknownOrIncompleteArgumentsPrintUsage() {
        for (String[] args : new String[][] {{}, {"status"}, {"list", "now"}, {"attach"}, {"attach", "1", "a=b", "c"},
                {"preset", "hikaricp", "scheduled"}}) {
            err.reset();
            assertEquals(2, command.run(args), String.join(" ", args));
            assertEquals(AgentCommand.USAGE + System.lineSeparator(), text(err));
        }
        assertEquals("", text(out));
    }

    @Test
    void checkIsTheCheckCommands() {
        assertEquals(2, command.run("check", "metrics-agent.yml"));
        assertEquals(CheckCommand.USAGE + System.lineSeparator(), text(err));
        assertEquals("", text(out));
    }

    @Test
    void presetListsThePresetsAndPrintsOneAsShipped() {
        String n = System.lineSeparator();
        assertEquals(0, command.run("preset"));
        assertEquals("hikaricp" + n + "http_server" + n + "jdbc" + n + "scheduled" + n, text(out));
        out.reset();
        assertEquals(0, command.run("preset", "hikaricp"));
        assertEquals(Presets.text("hikaricp"), text(out));
        assertTrue(text(out).startsWith("# HikariCP: per pool, the gauges"), text(out));
        assertEquals("", text(err));
        out.reset();
        assertEquals(2, command.run("preset", "hikari"));
        assertEquals("no preset named hikari; the presets are hikaricp, http_server, jdbc, scheduled" + n + AgentCommand.USAGE + n, text(err));
        assertEquals("", text(out));
    }

    @Test
    void aPidMustBeANumber() {
        assertEquals(2, command.run("attach", "-1"));
        assertEquals("-1 is not a process id" + System.lineSeparator() + AgentCommand.USAGE + System.lineSeparator(),
                text(err));
    }

    /** Refused before the attach API is touched: pid 1 is never attached to here. */
    @Test
    void badOptionsAreRefusedBeforeAnythingIsLoaded() {
        assertEquals(2, command.run("attach", "1", "port=70000"));
        assertEquals("bad configuration: port=70000 is out of range 0..65535; nothing was loaded into 1"
                + System.lineSeparator(), text(err));
        assertEquals("", text(out));
    }

    /** The variables named by *_env are the other JVM's: this process cannot check them. */
    @Test
    void aSecretFromTheEnvironmentIsLeftToTheOtherJvm() {
        assertEquals("prometheus", AgentOptions.parseForAttach(
                "auth_user=prometheus,auth_password_env=METRICS_AGENT_TEST_UNSET_VARIABLE").authUser());
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
