package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

/**
 * {@code it/httpserver-app}, a service on the JDK's {@code com.sun.net.httpserver}, under the agent
 * with no configuration, on JDK 17 and Temurin 25: each request, by method, context path and
 * status, counted by the application exactly as this test sent it. The agent's own side, the
 * {@code http_server} preset's samples against these same counts, comes with the presets (issue 16).
 */
class HttpServerAppIT {

    private static final String FAILED = "java.lang.IllegalStateException";

    @OnEveryJdk
    void countsWhatItServedAsSent(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1")
                .main(Artifacts.classPath(Artifacts.httpServerDir(), "httpserver-app"), "io.metricsagent.it.jdkhttp.HttpServerApp")
                .args("0").start()) {
            GroundTruth traffic = traffic(app);
            // The agent is serving, beside the application.
            app.metricsPort();

            assertEquals(traffic.served(), GroundTruth.print(app), app::describe);
        }
    }

    /** Every context, method and status the application has, sent to it once it listens. */
    static GroundTruth traffic(JvmProcess app) throws Exception {
        return new GroundTruth(Integer.parseInt(app.awaitStdout("^listening on (\\d+)$").group(1)))
                .send(3, "GET", "/ping", 200, "/ping", "-")
                .send(2, "GET", "/api/orders", 200, "/api/orders", "-")
                .send(4, "POST", "/api/orders", 201, "/api/orders", "-")
                .send(1, "DELETE", "/api/orders", 405, "/api/orders", "-")
                .send(2, "GET", "/api/fail", 500, "/api/fail", FAILED)
                .send(5, "GET", "/nowhere", 404, "/", "-")
                .send(1, "POST", "/api/nowhere", 404, "/", "-");
    }
}
