package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule on {@code com.sun.net.httpserver.HttpHandler} over {@code it/httpserver-app}, on JDK 17
 * and Temurin 25: the application's handlers are woven and each request counted exactly, by
 * method, context path and status; the JDK's own {@code LinkHandler}, which implements
 * {@code HttpHandler} in the named module {@code jdk.httpserver} and wraps every context (the
 * agent's endpoint's too), is never woven, and the application answers every request as it does
 * without the agent. A rule naming that class says
 * so once; the agent's own endpoint is never counted. The path is the request's: from JDK 25 an
 * exchange's context is its connection's, which the next request on a kept-alive connection
 * replaces as soon as this one is answered, before the handler's exit reads its labels.
 */
class JdkHttpHandlersIT {

    private static final String RULES = """
            metrics:
              - extends: com.sun.net.httpserver.HttpHandler
                method: handle
                parameters: [com.sun.net.httpserver.HttpExchange]
                name: handled_requests
                labels:
                  method: args[0].requestMethod
                  path: args[0].requestURI.path
                  status: args[0].responseCode
              - class: sun.net.httpserver.ServerImpl$Exchange$LinkHandler
                method: handle
                name: linked_requests
            """;

    @OnEveryJdk
    void theApplicationsHandlersAreCountedAndTheJdksLeftAlone(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, RULES);
        try (JvmProcess app = AgentJvm.on(java).agent("config=" + config, "port=0", "host=127.0.0.1", "host_metrics=false",
                        // The http_server preset's own rule on LinkHandler is HttpServerAppIT's.
                        "presets=none")
                .main(Artifacts.classPath(Artifacts.httpServerDir(), "httpserver-app"), "io.metricsagent.it.jdkhttp.HttpServerApp")
                .args("0").start()) {
            int metricsPort = app.metricsPort();
            // The agent's endpoint, a JDK server too, answers before and during the traffic.
            Exposition.scrape(metricsPort);
            GroundTruth traffic = HttpServerAppIT.traffic(app);
            assertEquals(traffic.served(), GroundTruth.print(app), app::describe);

            Expected.assertSamples(Exposition.scrape(metricsPort), "handlers on " + jdk, """
                    # The failing handler throws before it answers: no response code yet (-1); the
                    # application's filter then answers 500. The handler of /health, a lambda, is
                    # a hidden class, which the JVM shows no agent: not counted.
                    handled_requests_total{method, path, status, outcome} != 0
                    GET     /ping          200  success  3
                    GET     /api/orders    200  success  2
                    POST    /api/orders    201  success  4
                    DELETE  /api/orders    405  success  1
                    GET     /api/fail      -1   failure  2
                    GET     /nowhere       404  success  5
                    POST    /api/nowhere   404  success  1

                    # The rule naming LinkHandler weaves nothing.
                    metrics_agent_rule_methods{rule}
                    rules.yml:2   4
                    rules.yml:10  0
                    """);
            assertEquals(List.of("[metrics-agent] the rule at rules.yml line 10 selects"
                            + " sun.net.httpserver.ServerImpl$Exchange$LinkHandler of the JDK's module jdk.httpserver,"
                            + " which the rule leaves as it is: a rule meters the application's classes, not the JDK's, unless it says jdk_classes: true"),
                    app.stderr().stream().filter(line -> line.startsWith("[metrics-agent]")
                            && !line.contains(" serving ")).toList(), app::describe);
        }
    }
}
