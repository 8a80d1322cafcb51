package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spring Boot service ({@code it/boot-app}, its executable jar) started without the agent, then
 * attached to with a rule on Spring MVC's {@code @GetMapping}: its handlers, which bind their
 * parameters by the names compiled into the class, answer as before and are counted. Spring
 * caches a handler's parameter names at its first call, so the handlers called first after the
 * attach are those that would fail if the woven class had lost its names (on OpenJDK 17, a 500:
 * "Name for argument of type [java.lang.String] not specified").
 */
class SpringBootIT {

    private static final String RULES = ""
            + "metrics:\n"
            + "  - annotated: org.springframework.web.bind.annotation.GetMapping\n"
            + "    name: http_handler_calls\n"
            + "    labels: {handler: $method}\n";
    private static final String QUOTE = "/api/quote?sku=apple&quantity=3";
    private static final String QUOTED = "{\"sku\":\"apple\",\"quantity\":3,\"total\":1.35,\"currency\":\"EUR\"}";

    @OnEveryJdk
    void handlersAnswerAsBeforeTheAttachAndAreCounted(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, RULES);
        int port = freePort();
        try (JvmProcess app = AgentJvm.on(java).flags("-XX:+EnableDynamicAgentLoading").jar(Artifacts.bootJar())
                .args("--server.port=" + port, "--server.address=127.0.0.1").start()) {
            app.awaitStdout("Started ShopApplication in ");
            assertEquals("200 " + QUOTED, get(port, QUOTE));

            // The controller is the one class loaded that names @GetMapping.
            Command attach = Command.run(java, "attach", String.valueOf(app.pid()),
                    // The presets, which would weave the servlets and filters too, are ServiceAppIT's.
                    "config=" + config + ",port=0,host=127.0.0.1,host_metrics=false,presets=none");
            assertEquals(0, attach.exit, attach::describe);
            assertTrue(attach.stdout.get(0).contains(" attached to " + app.pid() + ": 1 loaded class woven;"),
                    attach::describe);

            assertEquals("200 " + QUOTED, get(port, QUOTE));
            assertEquals("200 {\"sku\":\"bread\",\"name\":\"Bread\",\"unitPrice\":2.10}", get(port, "/api/items/bread"));
            assertEquals("200 [{\"sku\":\"apple\",\"name\":\"Apple\",\"unitPrice\":0.45}]", get(port, "/api/items?limit=1"));
            assertEquals("404", get(port, "/api/items/caviar").substring(0, 3));

            Exposition m = Exposition.scrape(app.metricsPort());
            Expected.assertSamples(m, "handlers on " + jdk, """
                    http_handler_calls_total{handler, outcome}
                    item   failure  1
                    item   success  1
                    items  success  1
                    quote  success  1

                    http_handler_calls_total{exception=ResponseStatusException}
                    1

                    metrics_agent_instrumented_methods
                    3

                    metrics_agent_transformation_errors_total
                    0
                    """);
            assertTrue(app.stdout().stream().noneMatch(l -> l.contains(" ERROR ")), app::describe);
        }
    }

    /** Status and body. */
    private static String get(int port, String path) throws Exception {
        HttpResponse<byte[]> response = Exposition.get(port, path, "application/json");
        return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
