package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call gates and path steps on a real container: {@code it/servlet-app} (javax Servlet 4 on
 * embedded Tomcat 9, no metrics code) metered by rules over {@code Filter.doFilter} and
 * {@code Servlet.service}, one nesting group each, on JDK 17 and Temurin 25. With
 * {@code only_when} on the dispatcher type, each request counts once, as the application counted
 * it: the error page Tomcat dispatches to after a 404 or an exception (an {@code ERROR} dispatch,
 * outside the request's own filter and servlet calls) and a forward inside the request add
 * nothing. The same rules without the gate count every error dispatch as one more request.
 * Labels come through {@code as(javax.servlet.http.HttpServletRequest)} and
 * {@code getAttribute("org.apache.catalina.core.DISPATCHER_TYPE")}.
 */
class CallGatesIT {

    private static final String RULES = """
            metrics:
              - extends: javax.servlet.Filter
                method: doFilter
                parameters: [javax.servlet.ServletRequest, javax.servlet.ServletResponse, javax.servlet.FilterChain]
                nesting_group: gated
                only_when: &request
                  value: args[0].dispatcherType
                  in: [REQUEST, ASYNC]
                drop_when: &async
                  value: args[0].asyncStarted
                  equals: "true"
                name: gated_requests
                labels: &labels
                  method: args[0].as(javax.servlet.http.HttpServletRequest).method
                  route: args[0].as(javax.servlet.http.HttpServletRequest).httpServletMapping.pattern
                  status: args[1].as(javax.servlet.http.HttpServletResponse).status
                  dispatch: args[0].getAttribute("org.apache.catalina.core.DISPATCHER_TYPE")
              - extends: javax.servlet.Servlet
                method: service
                parameters: [javax.servlet.ServletRequest, javax.servlet.ServletResponse]
                nesting_group: gated
                only_when: *request
                drop_when: *async
                name: gated_requests
                labels: *labels
              - extends: javax.servlet.Filter
                method: doFilter
                parameters: [javax.servlet.ServletRequest, javax.servlet.ServletResponse, javax.servlet.FilterChain]
                nesting_group: plain
                name: plain_requests
                labels: *labels
              - extends: javax.servlet.Servlet
                method: service
                parameters: [javax.servlet.ServletRequest, javax.servlet.ServletResponse]
                nesting_group: plain
                name: plain_requests
                labels: *labels
            """;

    @OnEveryJdk
    void anErrorDispatchAndAForwardAreTheSameRequest(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, RULES);
        try (JvmProcess app = AgentJvm.on(java).agent("config=" + config, "port=0", "host=127.0.0.1", "host_metrics=false")
                .main(Artifacts.classPath(Artifacts.servletDir(), "servlet-app"), "io.metricsagent.it.servlet.ServletApp")
                .args("0").start()) {
            GroundTruth traffic = ServletAppIT.traffic(app);
            assertEquals(traffic.served(), GroundTruth.print(app), app::describe);
            Exposition m = Exposition.scrape(app.metricsPort());

            String requests = """
                    # Once per request, as the application counted: the status is read as the filter
                    # returns, before Tomcat answers what escaped with a 500.
                    %s_total{method, route, status, dispatch, outcome} != 0
                    GET     /hello    200  REQUEST  success  3
                    DELETE  /hello    405  REQUEST  success  1
                    GET     /items/*  200  REQUEST  success  4
                    GET     /items/*  404  REQUEST  success  2
                    POST    /items/*  201  REQUEST  success  3
                    GET     *.do      200  REQUEST  success  2
                    GET     /fail     200  REQUEST  failure  2
                    GET     /forward  200  REQUEST  success  2
                    GET     /         404  REQUEST  success  5
                    """;
            Expected.assertSamples(m, "gated on " + jdk, requests.formatted("gated_requests"));
            Expected.assertSamples(m, "not gated on " + jdk, requests.formatted("plain_requests") + """
                    GET     /error-page  404  ERROR  success  7
                    GET     /error-page  500  ERROR  success  2
                    """);
            assertEquals(List.of(), app.stderr().stream().filter(line -> line.startsWith("[metrics-agent]")
                    && !line.contains(" serving ")).toList(), app::describe);
        }
    }
}
