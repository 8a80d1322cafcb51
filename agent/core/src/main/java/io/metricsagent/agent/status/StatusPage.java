package io.metricsagent.agent.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.config.ConfigWatcher;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.weaving.MeteringRules;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves the agent's own page at {@code /} and the same facts as JSON at {@code /-/status}, in
 * place of the client library's default page: as the endpoint's default handler, behind its basic
 * auth and TLS. Every other path but {@code /metrics} and {@code /-/healthy} is a 404. The status
 * is read anew for each request, which is the only time it costs anything.
 */
public final class StatusPage implements HttpHandler {

    static final String JSON_PATH = "/-/status";

    private final AgentOptions options;
    private final AgentMetrics metrics;
    private final MeteringRules rules;
    private final ConfigWatcher watcher;
    private final PrometheusRegistry served;
    private final long startedAtMillis;

    /**
     * The page, typed as the handler the endpoint takes: a caller that only passes it on then
     * names no class of this one's, so that verifying the caller loads none of the JDK's HTTP
     * server (an attach weaves what is loaded by then, and {@code HttpHandler} is a preset's).
     *
     * @param served          the registry the endpoint serves, whose numbers the page shows
     * @param startedAtMillis when the agent started, for its uptime
     */
    public static HttpHandler of(AgentOptions options, AgentMetrics metrics, MeteringRules rules, ConfigWatcher watcher,
                                 PrometheusRegistry served, long startedAtMillis) {
        return new StatusPage(options, metrics, rules, watcher, served, startedAtMillis);
    }

    private StatusPage(AgentOptions options, AgentMetrics metrics, MeteringRules rules, ConfigWatcher watcher,
                       PrometheusRegistry served, long startedAtMillis) {
        this.options = options;
        this.metrics = metrics;
        this.rules = rules;
        this.watcher = watcher;
        this.served = served;
        this.startedAtMillis = startedAtMillis;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals("/") && !path.equals(JSON_PATH)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "Not found: the agent serves /, /metrics, "
                        + JSON_PATH + " and /-/healthy\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD\n");
            } else {
                Status status = new Status(options, metrics, rules, watcher, served, startedAtMillis);
                if (path.equals(JSON_PATH)) {
                    respond(exchange, 200, "application/json", StatusJson.render(status));
                } else {
                    respond(exchange, 200, "text/html; charset=utf-8", StatusHtml.render(status));
                }
            }
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
