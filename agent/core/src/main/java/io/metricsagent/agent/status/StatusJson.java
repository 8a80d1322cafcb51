package io.metricsagent.agent.status;

import io.metricsagent.agent.config.ConfigWatcher;
import io.metricsagent.agent.report.AgentLog;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;

/**
 * {@code /-/status}: the {@link Status} as JSON, written by hand (the agent bundles no JSON
 * library). docs/operations.md lists every field. Times are seconds since the epoch, as
 * Prometheus' timestamps are; a count is a whole number; what is not known is {@code null}.
 */
final class StatusJson {

    private final StringBuilder out = new StringBuilder(4096);

    private StatusJson() {}

    static String render(Status status) {
        return new StatusJson().write(status);
    }

    private String write(Status status) {
        out.append('{');
        field("version").string(status.version);
        field("started_at").seconds(status.startedAtMillis);
        field("time").seconds(status.atMillis);
        field("uptime_seconds").number((status.atMillis - status.startedAtMillis) / 1000.0);
        field("options").append('{');
        for (Map.Entry<String, String> option : status.options.entrySet()) {
            field(option.getKey()).string(option.getValue());
        }
        out.append('}');
        config(status.config);
        field("rules").append('[');
        for (int i = 0; i < status.rules.size(); i++) {
            Status.Rule rule = status.rules.get(i);
            comma(i == 0).append('{');
            field("rule").string(rule.woven.rule);
            field("kind").string(rule.woven.gauge ? "gauge" : "rule");
            field("metric").string(rule.woven.metric);
            field("methods").strings(rule.woven.methods);
            field("calls").count(rule.calls);
            out.append('}');
        }
        out.append(']');
        field("max_series").number(status.maxSeries);
        field("families").append('[');
        for (int i = 0; i < status.families.size(); i++) {
            Status.FamilyRow family = status.families.get(i);
            comma(i == 0).append('{');
            field("name").string(family.name);
            field("type").string(family.type);
            field("series").number(family.series);
            field("overflow").number(family.overflow);
            out.append('}');
        }
        out.append(']');
        field("timings").append('[');
        for (int i = 0; i < status.timings.size(); i++) {
            comma(i == 0).timing(status.timings.get(i));
        }
        out.append(']');
        field("errors").append('{');
        field("transformation").number(status.transformationErrors);
        field("internal").append('{');
        for (Map.Entry<String, Long> component : status.internalErrors.entrySet()) {
            field(component.getKey()).number(component.getValue());
        }
        out.append("}}");
        field("recent_lines").append('[');
        for (int i = 0; i < status.recentLines.size(); i++) {
            AgentLog.Line line = status.recentLines.get(i);
            comma(i == 0).append('{');
            field("at").seconds(line.atMillis);
            field("message").string(line.message);
            out.append('}');
        }
        out.append("]}");
        return out.toString();
    }

    private void config(Status.Config config) {
        field("config").append('{');
        field("file");
        if (config.file == null) {
            out.append("null");
        } else {
            string(config.file);
        }
        field("watched").append(config.watched);
        field("loaded_at");
        if (config.loadedAtMillis == 0) {
            out.append("null");
        } else {
            seconds(config.loadedAtMillis);
        }
        field("reloads").append('{');
        field("success").number(config.reloadsSucceeded);
        field("failure").number(config.reloadsFailed);
        out.append('}');
        field("last_reload");
        ConfigWatcher.Reload reload = config.lastReload;
        if (reload == null) {
            out.append("null");
        } else {
            out.append('{');
            field("at").seconds(reload.atMillis);
            field("result").string(reload.succeeded ? "success" : "failure");
            field("message").string(reload.message);
            out.append('}');
        }
        out.append('}');
    }

    private void timing(Status.Timing timing) {
        out.append('{');
        field("family").string(timing.family);
        field("labels").labels(timing.labels);
        field("calls").number(timing.calls);
        field("failures").count(timing.withOutcome ? timing.failures : null);
        field("sum").number(timing.sum);
        field("buckets").append('[');
        for (int b = 0; b < timing.upperBounds.length; b++) {
            comma(b == 0).append('{');
            field("le");
            if (timing.upperBounds[b] == Double.POSITIVE_INFINITY) {
                string("+Inf");
            } else {
                number(timing.upperBounds[b]);
            }
            field("count").number(timing.cumulative[b]);
            out.append('}');
        }
        out.append("]}");
    }

    private StatusJson labels(Labels labels) {
        out.append('{');
        for (int i = 0; i < labels.size(); i++) {
            field(labels.getName(i)).string(labels.getValue(i));
        }
        out.append('}');
        return this;
    }

    private StatusJson strings(List<String> texts) {
        out.append('[');
        for (int i = 0; i < texts.size(); i++) {
            comma(i == 0).string(texts.get(i));
        }
        out.append(']');
        return this;
    }

    /** {@code "name":}, after a comma unless it is its object's first field. */
    private StatusJson field(String name) {
        if (out.charAt(out.length() - 1) != '{') {
            out.append(',');
        }
        string(name);
        out.append(':');
        return this;
    }

    private StatusJson comma(boolean first) {
        if (!first) {
            out.append(',');
        }
        return this;
    }

    private StatusJson append(Object text) {
        out.append(text);
        return this;
    }

    private StatusJson append(char c) {
        out.append(c);
        return this;
    }

    private StatusJson count(Long count) {
        out.append(count == null ? "null" : count.toString());
        return this;
    }

    private StatusJson seconds(long millis) {
        return number(millis / 1000.0);
    }

    /** A finite number, whole ones without a fraction; JSON has no NaN or infinity, which read as {@code null}. */
    private StatusJson number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        return this;
    }

    /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259, section 7). */
    private StatusJson string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
        return this;
    }
}
