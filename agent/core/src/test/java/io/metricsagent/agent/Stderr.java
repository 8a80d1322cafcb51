package io.metricsagent.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the agent says on stderr during each test, where {@link AgentLog} writes: register it with {@code @RegisterExtension}. */
public final class Stderr implements BeforeEachCallback, AfterEachCallback {

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private PrintStream saved;

    @Override
    public void beforeEach(ExtensionContext context) {
        said.reset();
        saved = System.err;
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setErr(saved);
    }

    /** Everything written to stderr in this test so far. */
    public String text() {
        return said.toString(StandardCharsets.UTF_8);
    }
}
