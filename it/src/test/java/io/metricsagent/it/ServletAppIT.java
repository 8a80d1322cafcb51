package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code it/servlet-app}, javax Servlet 4 servlets on embedded Tomcat 9, under the agent with no
 * configuration, on JDK 17 and Temurin 25: each request, by method, servlet mapping (exact,
 * prefix, extension and the default servlet's; a forward under its own) and status, counted by the application exactly as
 * this test sent it, and by the {@code http_server} preset exactly as the application counted it:
 * the error page Tomcat dispatches to after a 404 or an exception, and the forward, count nothing
 * more, and an asynchronous request counts once, at the ASYNC dispatch that answers it; the
 * agent's own endpoint, scraped before, is never counted.
 */
class ServletAppIT {

    private static final String FAILED = "java.lang.IllegalStateException";

    @OnEveryJdk
    void countsWhatItServedAsSent(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("port=0", "host=127.0.0.1")
                .main(Artifacts.classPath(Artifacts.servletDir(), "servlet-app"), "io.metricsagent.it.servlet.ServletApp")
                .args("0").start()) {
            Exposition.scrape(app.metricsPort());
            GroundTruth traffic = traffic(app)
                    // Counted once, at the ASYNC dispatch that answers it.
                    .send(3, "GET", "/async", 200, "/async", "-");
            List<String> served = GroundTruth.print(app);
            assertEquals(traffic.served(), served, app::describe);
            Expected.assertSamples(Exposition.scrape(app.metricsPort()), "Tomcat 9's requests on " + jdk,
                    GroundTruth.requestSamples(served));
            assertEquals(List.of(), PresetsIT.agentLines(app), app::describe);
        }
    }

    /** Every mapping, method and status the application has, sent to it once it listens. */
    static GroundTruth traffic(JvmProcess app) throws Exception {
        return new GroundTruth(Integer.parseInt(app.awaitStdout("^listening on (\\d+)$").group(1)))
                .send(3, "GET", "/hello", 200, "/hello", "-")
                // HttpServlet's own answer to a method the servlet does not implement.
                .send(1, "DELETE", "/hello", 405, "/hello", "-")
                .send(4, "GET", "/items/1", 200, "/items/*", "-")
                .send(2, "GET", "/items/9", 404, "/items/*", "-")
                .send(3, "POST", "/items", 201, "/items/*", "-")
                .send(2, "GET", "/reports/daily.do", 200, "*.do", "-")
                .send(2, "GET", "/fail", 500, "/fail", FAILED)
                // Counted under the mapping that took it, not the one it forwarded to.
                .send(2, "GET", "/forward", 200, "/forward", "-")
                .send(5, "GET", "/nowhere", 404, "/", "-");
    }
}
