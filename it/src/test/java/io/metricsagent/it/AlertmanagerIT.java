package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert end to end: the sample failing nine payments in ten ({@code --failure-rate 0.9})
 * makes Prometheus fire PaymentHighErrorRate; a real Alertmanager, configured from the example
 * {@code monitoring/alertmanager.yml}, routes it as critical to its on-call webhook, a receiver in
 * this test; once the failing payments stop, the alert resolves and the resolution is delivered
 * too. One JDK: the JVM's part is the agent's exposition, which SampleAppIT and PrometheusIT hold
 * on each JDK.
 *
 * <p>Production windows would make this take many minutes, so the test runs copies of the shipped
 * rules with every range selector cut to 10 s and every {@code for:} to 2 s, and Alertmanager's
 * group_wait and group_interval cut to 1 s; the shipped files keep their sensible durations.
 */
class AlertmanagerIT {

    private static final String ALERT = "PaymentHighErrorRate";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern RANGE = Pattern.compile("\\[\\d+[smhdwy]]");

    @Test
    void highErrorRateAlertIsDeliveredAndResolvesOnceFailuresStop(@TempDir Path dir) throws Exception {
        MonitoringTools.prometheus();
        Path alertmanagerProgram = MonitoringTools.alertmanager();
        try (Webhook webhook = new Webhook();
             ChildServer alertmanager = startAlertmanager(alertmanagerProgram, dir.resolve("alertmanager"), webhook.port());
             JvmProcess app = AgentJvm.on(Jdks.current()).agent("port=0", "host=127.0.0.1")
                     .jar(Artifacts.sampleJar())
                     .args("--stdin", "--failure-rate", "0.9", "--threads", "2", "--speed", "0.2", "--seed", "7").start()) {
            int port = app.metricsPort();
            String instance = "127.0.0.1:" + port;
            try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
                    PrometheusServer.exampleConfig(port, alertmanager.port, fastRules(dir)))) {
                prometheus.await("up{job=\"metrics-agent\"} == 1", s -> !s.isEmpty(), WAIT, "scrape of the sample");
                // About 6 s of payments, one in five above 1000 USD, nine in ten failing: some 7
                // high-severity failures a second against a threshold of 0.1.
                app.send("240");
                Webhook.Notification firing = webhook.await(n -> n.has(ALERT, "firing"), WAIT, "firing " + ALERT,
                        alertmanager, prometheus);
                PrometheusIT.awaitRound(app, 1);
                long failuresStopped = System.nanoTime();
                Webhook.Notification resolved = webhook.await(n -> n.has(ALERT, "resolved"), WAIT, "resolved " + ALERT,
                        alertmanager, prometheus);

                assertTrue(resolved.receivedNanos > failuresStopped, "resolved before the failures stopped");
                for (Webhook.Notification notification : List.of(firing, resolved)) {
                    assertEquals("/on-call", notification.path, "critical alerts go to the on-call receiver");
                    Map<String, Object> alert = notification.alert(ALERT);
                    assertEquals(Map.of("alertname", ALERT, "severity", "critical", "service", "payment",
                            "job", PrometheusServer.JOB, "instance", instance), alert.get("labels"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
                    assertEquals("High-value payments failing on " + instance, annotations.get("summary"));
                }
            }
        }
    }

    /** The shipped alertmanager.yml, every receiver a path of the test's webhook, grouping at once. */
    @SuppressWarnings("unchecked")
    private static ChildServer startAlertmanager(Path program, Path dir, int webhookPort) throws IOException {
        Map<String, Object> config = Monitoring.yaml(Monitoring.dir().resolve("alertmanager.yml"));
        hurry((Map<String, Object>) config.get("route"));
        for (Map<String, Object> receiver : (List<Map<String, Object>>) config.get("receivers")) {
            for (Map<String, Object> webhook : (List<Map<String, Object>>) receiver.get("webhook_configs")) {
                webhook.put("url", "http://127.0.0.1:" + webhookPort + "/" + receiver.get("name"));
                assertEquals(true, webhook.get("send_resolved"), "the example sends resolutions");
            }
        }
        Files.createDirectories(dir);
        Path configFile = dir.resolve("alertmanager.yml");
        Files.writeString(configFile, Monitoring.dump(config), StandardCharsets.UTF_8);
        int port = MonitoringTools.freePort();
        return ChildServer.start("alertmanager", MonitoringTools.command(program,
                "--config.file=" + configFile,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                // No cluster: it would listen on every interface, and a lone instance needs none.
                "--cluster.listen-address="), port, dir);
    }

    @SuppressWarnings("unchecked")
    private static void hurry(Map<String, Object> route) {
        route.put("group_wait", "1s");
        route.put("group_interval", "1s");
        for (Map<String, Object> child : (List<Map<String, Object>>) route.getOrDefault("routes", List.of())) {
            hurry(child);
        }
    }

    /** Copies of the shipped rule files with 10-second windows and 2-second `for:`, so that alerts fire and resolve in seconds. */
    @SuppressWarnings("unchecked")
    private static List<Path> fastRules(Path dir) throws IOException {
        List<Path> copies = new ArrayList<>();
        for (Path file : Monitoring.ruleFiles()) {
            Map<String, Object> rules = Monitoring.yaml(file);
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    rule.put("expr", RANGE.matcher((String) rule.get("expr")).replaceAll("[10s]"));
                    if (rule.containsKey("for")) {
                        rule.put("for", "2s");
                    }
                }
            }
            Path copy = dir.resolve("fast-" + file.getFileName());
            Files.writeString(copy, Monitoring.dump(rules), StandardCharsets.UTF_8);
            copies.add(copy);
        }
        return copies;
    }

    /** Alertmanager's webhook receiver: every notification posted to 127.0.0.1, whatever the path. */
    private static final class Webhook implements AutoCloseable {

        static final class Notification {
            final String path;
            final Map<String, Object> body;
            final long receivedNanos = System.nanoTime();

            Notification(String path, Map<String, Object> body) {
                this.path = path;
                this.body = body;
            }

            @SuppressWarnings("unchecked")
            Map<String, Object> alert(String name) {
                for (Map<String, Object> alert : (List<Map<String, Object>>) body.get("alerts")) {
                    if (name.equals(((Map<String, Object>) alert.get("labels")).get("alertname"))) {
                        return alert;
                    }
                }
                return null;
            }

            boolean has(String name, String status) {
                Map<String, Object> alert = alert(name);
                return alert != null && status.equals(alert.get("status"));
            }

            @Override
            public String toString() {
                return path + " " + body;
            }
        }

        private final HttpServer server;
        private final List<Notification> received = new ArrayList<>();

        @SuppressWarnings("unchecked")
        Webhook() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    Map<String, Object> body = (Map<String, Object>) Monitoring.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    synchronized (received) {
                        received.add(new Notification(exchange.getRequestURI().getPath(), body));
                    }
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        Notification await(Predicate<Notification> wanted, Duration timeout, String what, ChildServer alertmanager,
                           PrometheusServer prometheus) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (received) {
                    for (Notification notification : received) {
                        if (wanted.test(notification)) {
                            return notification;
                        }
                    }
                }
                ChildServer.pause(100);
            }
            synchronized (received) {
                return fail("no notification of " + what + " within " + timeout + "; received: " + received + "\n"
                        + prometheus.log() + "\n" + alertmanager.log());
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
