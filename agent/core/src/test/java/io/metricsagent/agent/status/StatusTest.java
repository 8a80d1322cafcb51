package io.metricsagent.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.config.ConfigWatcher;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.weaving.Weaving;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the JSON and the page make of text that JSON or HTML would read otherwise, and of secrets. */
class StatusTest {

    @RegisterExtension
    final Stderr stderr = new Stderr();

    private static Status status(AgentOptions options) {
        AgentMetrics metrics = new AgentMetrics(options);
        Weaving weaving = new Weaving(metrics);
        ConfigWatcher watcher = new ConfigWatcher(options, next -> "");
        return new Status(options, metrics, weaving.rules(), watcher, metrics.registry(), System.currentTimeMillis());
    }

    @Test
    void textIsEscapedForJsonAndForHtml() {
        Status status = status(AgentOptions.parse("port=0,labels=team:a\"b\\c <i>'x' & \u0007\u2028y"));
        String json = StatusJson.render(status);
        assertTrue(json.contains(",\"labels\":\"team:a\\\"b\\\\c <i>'x' & \\u0007\\u2028y\","), json);
        String html = StatusHtml.render(status);
        assertTrue(html.contains("<th>labels</th><td>team:a&quot;b\\c &lt;i&gt;&#39;x&#39; &amp; \u0007\u2028y</td>"),
                html);
    }

    @Test
    void theAgentsLastLinesAreShown() {
        AgentLog.info("a line for the page");
        Status status = status(AgentOptions.parse("port=0"));
        assertTrue(StatusJson.render(status).endsWith(",\"message\":\"a line for the page\"}]}"));
        assertTrue(StatusHtml.render(status).contains("</th><td>a line for the page</td></tr></table>"));
    }

    @Test
    void aSecretsSourceShowsAsSetAndNothingMore(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "s3cret");
        Status status = status(AgentOptions.parse("port=0,auth_user=ops,auth_password_file=" + password));
        assertEquals("set", status.options.get("auth_password_file"));
        assertEquals("unset", status.options.get("auth_password_env"));
        assertEquals("ops", status.options.get("auth_user"));
        assertEquals("1000", status.options.get("max_series"));
        String json = StatusJson.render(status);
        assertTrue(json.contains(",\"auth_user\":\"ops\",\"auth_password_file\":\"set\",\"auth_password_env\":\"unset\","),
                json);
        assertTrue(!json.contains("s3cret") && !json.contains(password.toString()), json);
        String html = StatusHtml.render(status);
        assertTrue(!html.contains("s3cret") && !html.contains(password.toString()), html);
    }
}
