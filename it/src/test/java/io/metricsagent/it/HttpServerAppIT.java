package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code it/httpserver-app}, a service on the JDK's {@code com.sun.net.httpserver}, under the agent
 * with no configuration, on JDK 17 and Temurin 25: each request, by method, context path and
 * status, counted by the application exactly as this test sent it, and by the {@code http_server}
 * preset exactly as the application counted it (the handler's exception a 500 with its class, a
 * handler written as a lambda counted as the others, through the JDK's own wrapper),
 * the agent's own endpoint, a JDK server too, scraped (and its status page read) before and never
 * counted; with {@code presets=none}, none of the preset's families.
 */
class HttpServerAppIT {

    private static final String FAILED = "java.lang.IllegalStateException";

    @OnEveryJdk
    void countsWhatItServedAsSent(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1")
                .main(Artifacts.classPath(Artifacts.httpServerDir(), "httpserver-app"), "io.metricsagent.it.jdkhttp.HttpServerApp")
                .args("0").start()) {
            Exposition.scrape(app.metricsPort());
            // The agent's status page and its JSON, served beside /metrics, are not counted either.
            assertEquals(200, Exposition.get(app.metricsPort(), "/", "text/html").statusCode());
            assertEquals(200, Exposition.get(app.metricsPort(), "/-/status", "application/json").statusCode());
            GroundTruth traffic = traffic(app);
            List<String> served = GroundTruth.print(app);
            assertEquals(traffic.served(), served, app::describe);
            Expected.assertSamples(Exposition.scrape(app.metricsPort()), "the JDK server's requests on " + jdk,
                    GroundTruth.requestSamples(served));
            assertEquals(List.of(), PresetsIT.agentLines(app), app::describe);
        }
    }

    @OnEveryJdk
    void noPresetsNoRequests(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1", "presets=none")
                .main(Artifacts.classPath(Artifacts.httpServerDir(), "httpserver-app"), "io.metricsagent.it.jdkhttp.HttpServerApp")
                .args("0").start()) {
            assertEquals(traffic(app).served(), GroundTruth.print(app), app::describe);
            Exposition m = Exposition.scrape(app.metricsPort());
            assertFalse(m.has("http_server_request_duration_seconds") || m.has("http_server_active_requests"),
                    () -> jdk + ": " + m.names());
        }
    }

    /** Every context, method and status the application has, sent to it once it listens. */
    static GroundTruth traffic(JvmProcess app) throws Exception {
        return new GroundTruth(Integer.parseInt(app.awaitStdout("^listening on (\\d+)$").group(1)))
                .send(3, "GET", "/ping", 200, "/ping", "-")
                .send(2, "GET", "/health", 200, "/health", "-")
                .send(2, "GET", "/api/orders", 200, "/api/orders", "-")
                .send(4, "POST", "/api/orders", 201, "/api/orders", "-")
                .send(1, "DELETE", "/api/orders", 405, "/api/orders", "-")
                .send(2, "GET", "/api/fail", 500, "/api/fail", FAILED)
                .send(5, "GET", "/nowhere", 404, "/", "-")
                .send(1, "POST", "/api/nowhere", 404, "/", "-");
    }
}
