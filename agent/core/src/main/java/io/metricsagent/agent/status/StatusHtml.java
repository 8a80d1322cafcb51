package io.metricsagent.agent.status;

import io.metricsagent.agent.report.AgentLog;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page: every table written here, on the server, so that it reads without scripts;
 * the page's own script and style sheet (resources beside this class) are inlined, so that it
 * needs nothing from anywhere else. The script adds the live charts, from {@code /-/status} read
 * every few seconds.
 */
final class StatusHtml {

    private static final String SCRIPT = resource("status.js");
    private static final String STYLE = resource("status.css");

    private final StringBuilder out = new StringBuilder(16384);

    private StatusHtml() {}

    static String render(Status status) {
        return new StatusHtml().write(status);
    }

    private String write(Status status) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                // No favicon request, which would be a 404 in the browser's console.
                + "<link rel=\"icon\" href=\"data:,\"><title>metrics-agent ").append(text(status.version))
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
        out.append("<header><h1>metrics-agent <span id=\"version\">").append(text(status.version)).append("</span></h1>")
                .append("<p>started ").append(time(status.startedAtMillis)).append(", up <span id=\"uptime\">")
                .append(duration(status.atMillis - status.startedAtMillis)).append("</span>; read at ")
                .append(time(status.atMillis)).append(". <a href=\"metrics\">/metrics</a> · <a href=\"-/status\">/-/status</a>"
                        + " · <span id=\"refresh\"></span></p></header>\n");
        timings(status.timings);
        config(status.config);
        rules(status.rules);
        families(status);
        errors(status);
        options(status.options);
        out.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return out.toString();
    }

    private void timings(List<Status.Timing> timings) {
        out.append("<section><h2>Methods</h2><p class=\"note\">Calls, errors and latency of each metered method, from"
                + " its duration histogram. The charts cover the last minutes since this page opened;"
                + " <noscript>they need scripts, </noscript>the totals do not.</p>\n")
                .append("<table id=\"timings\"><thead><tr><th>method (histogram and labels)</th><th>calls</th>"
                        + "<th>failed</th><th>mean</th><th>calls/s</th><th>error ratio</th><th>p50 / p95 / p99</th>"
                        + "</tr></thead><tbody>\n");
        for (Status.Timing timing : timings) {
            String key = timing.family + labels(timing.labels);
            out.append("<tr data-key=\"").append(text(key)).append("\"><td>").append(text(key)).append("</td><td class=\"n\">")
                    .append(timing.calls).append("</td><td class=\"n\">")
                    .append(timing.withOutcome ? String.valueOf(timing.failures) : "—").append("</td><td class=\"n\">")
                    .append(timing.calls == 0 ? "—" : millis(timing.sum / timing.calls))
                    .append("</td><td></td><td></td><td></td></tr>\n");
        }
        if (timings.isEmpty()) {
            out.append("<tr><td colspan=\"7\">No method is metered yet.</td></tr>\n");
        }
        out.append("</tbody></table></section>\n");
    }

    private void config(Status.Config config) {
        out.append("<section><h2>Configuration file</h2><table id=\"config\">");
        row("file", config.file == null ? "none (no config=)" : config.file);
        if (config.file != null) {
            row("watched", config.watched ? "yes, reloaded when it changes" : "no (watch_config=false)");
            row("rules loaded at", config.loadedAtMillis == 0 ? "never" : time(config.loadedAtMillis));
            row("reloads", config.reloadsSucceeded + " succeeded, " + config.reloadsFailed + " failed");
            row("last reload", config.lastReload == null ? "none since the start"
                    : time(config.lastReload.atMillis) + ": " + (config.lastReload.succeeded ? "success, " : "failure, ")
                    + config.lastReload.message);
        }
        out.append("</table></section>\n");
    }

    private void rules(List<Status.Rule> rules) {
        out.append("<section><h2>Rules and gauges</h2><table id=\"rules\"><thead><tr><th>rule</th><th>kind</th>"
                + "<th>metric</th><th>methods woven now</th><th>calls</th></tr></thead><tbody>\n");
        for (Status.Rule rule : rules) {
            out.append("<tr data-rule=\"").append(text(rule.woven.rule)).append("\"><td>").append(text(rule.woven.rule))
                    .append("</td><td>").append(rule.woven.gauge ? "gauge" : "rule").append("</td><td>")
                    .append(text(rule.woven.metric)).append("</td><td><span class=\"methods\">")
                    .append(rule.woven.methods.size()).append("</span>");
            for (String method : rule.woven.methods) {
                out.append("<br><code>").append(text(method)).append("</code>");
            }
            out.append("</td><td class=\"n calls\">").append(rule.calls == null ? "—" : rule.calls.toString())
                    .append("</td></tr>\n");
        }
        if (rules.isEmpty()) {
            out.append("<tr><td colspan=\"5\">No rule or configured gauge is in force.</td></tr>\n");
        }
        out.append("</tbody></table></section>\n");
    }

    private void families(Status status) {
        out.append("<section><h2>Metric families</h2><table id=\"families\"><thead><tr><th>family</th><th>type</th>"
                + "<th>series / max_series</th><th>calls in overflow</th></tr></thead><tbody>\n");
        for (Status.FamilyRow family : status.families) {
            out.append("<tr data-family=\"").append(text(family.name)).append("\"><td>").append(text(family.name))
                    .append("</td><td>").append(family.type).append("</td><td class=\"n\"><span class=\"series\">")
                    .append(family.series).append("</span> / ").append(status.maxSeries)
                    .append("</td><td class=\"n overflow\">").append(family.overflow).append("</td></tr>\n");
        }
        out.append("</tbody></table></section>\n");
    }

    private void errors(Status status) {
        out.append("<section><h2>The agent's errors</h2><table id=\"errors\">");
        row("classes left unwoven", String.valueOf(status.transformationErrors));
        for (Map.Entry<String, Long> component : status.internalErrors.entrySet()) {
            row("internal errors: " + component.getKey(), String.valueOf(component.getValue()));
        }
        out.append("</table><h3>Its last lines on stderr</h3><table id=\"lines\">");
        for (AgentLog.Line line : status.recentLines) {
            row(time(line.atMillis), line.message);
        }
        out.append("</table></section>\n");
    }

    private void options(Map<String, String> options) {
        out.append("<section><h2>Options in force</h2><table id=\"options\">");
        options.forEach(this::row);
        out.append("</table></section>\n");
    }

    private void row(String name, String value) {
        out.append("<tr><th>").append(text(name)).append("</th><td>").append(text(value)).append("</td></tr>");
    }

    /** {@code {a="x",b="y"}}, as the script names a method from /-/status; empty for no labels. */
    private static String labels(Labels labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < labels.size(); i++) {
            text.append(i == 0 ? "" : ",").append(labels.getName(i)).append("=\"").append(labels.getValue(i)).append('"');
        }
        return text.append('}').toString();
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static String duration(long millis) {
        long seconds = millis / 1000;
        return seconds < 60 ? seconds + " s"
                : seconds < 3600 ? seconds / 60 + " min " + seconds % 60 + " s"
                : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    private static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.3f ms", seconds * 1000);
    }

    /** Text for HTML, in an element or a quoted attribute. */
    static String text(String raw) {
        StringBuilder escaped = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '&':
                    escaped.append("&amp;");
                    break;
                case '<':
                    escaped.append("&lt;");
                    break;
                case '>':
                    escaped.append("&gt;");
                    break;
                case '"':
                    escaped.append("&quot;");
                    break;
                case '\'':
                    escaped.append("&#39;");
                    break;
                default:
                    escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String resource(String name) {
        try (InputStream in = StatusHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
