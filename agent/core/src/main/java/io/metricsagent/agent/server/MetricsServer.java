package io.metricsagent.agent.server;

import io.metricsagent.agent.AgentLog;
import io.metricsagent.agent.config.AgentOptions;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Serves {@code /metrics} (Prometheus text, OpenMetrics or protobuf, as the scraper asks) and
 * {@code /-/healthy} with the client library's HTTP exporter, on daemon threads.
 */
public final class MetricsServer {

    // The exporter's class initialiser sets these when unset; they would change the timeouts of
    // any com.sun.net.httpserver server the application starts, so the agent takes them back.
    private static final String[] EXPORTER_PROPERTIES = {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"};

    private MetricsServer() {}

    /** Starts the server, or reports in one line why it could not; never throws. */
    public static HTTPServer start(AgentOptions options, PrometheusRegistry registry) {
        boolean[] wasSet = new boolean[EXPORTER_PROPERTIES.length];
        for (int i = 0; i < EXPORTER_PROPERTIES.length; i++) {
            wasSet[i] = System.getProperty(EXPORTER_PROPERTIES[i]) != null;
        }
        try {
            HTTPServer.Builder builder = HTTPServer.builder().port(options.port()).registry(registry);
            if (!options.host().isEmpty()) {
                builder.hostname(options.host());
            }
            HTTPServer server = builder.buildAndStart();
            String host = options.host().isEmpty() ? "0.0.0.0" : options.host();
            AgentLog.info("serving metrics on http://" + host + ":" + server.getPort() + "/metrics");
            return server;
        } catch (Throwable t) {
            String where = (options.host().isEmpty() ? "" : options.host()) + ":" + options.port();
            AgentLog.warn("metrics endpoint not started on " + where
                    + "; metrics are still recorded, choose another port with port=", t);
            return null;
        } finally {
            for (int i = 0; i < EXPORTER_PROPERTIES.length; i++) {
                if (!wasSet[i]) {
                    System.clearProperty(EXPORTER_PROPERTIES[i]);
                }
            }
        }
    }
}
