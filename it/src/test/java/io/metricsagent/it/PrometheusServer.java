package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A real Prometheus ({@code --storage.tsdb.path} and its configuration in a test's directory,
 * listening on 127.0.0.1) configured from the example {@code monitoring/prometheus.yml}, asked
 * through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    static final String JOB = "metrics-agent";

    private final ChildServer server;

    private PrometheusServer(ChildServer server) {
        this.server = server;
    }

    /**
     * The example configuration made to scrape one agent on 127.0.0.1:{@code agentPort} and
     * evaluate every second, with {@code ruleFiles}, alerting to an Alertmanager on
     * 127.0.0.1:{@code alertmanagerPort} (or to none, when it is 0).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> exampleConfig(int agentPort, int alertmanagerPort, List<Path> ruleFiles) {
        Map<String, Object> config = Monitoring.yaml(Monitoring.dir().resolve("prometheus.yml"));
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("scrape_timeout", "1s");
        global.put("evaluation_interval", "1s");
        List<String> rules = new ArrayList<>();
        for (Path ruleFile : ruleFiles) {
            rules.add(ruleFile.toAbsolutePath().toString());
        }
        config.put("rule_files", rules);
        if (alertmanagerPort == 0) {
            config.remove("alerting");
        } else {
            Map<String, Object> alerting = (Map<String, Object>) config.get("alerting");
            Map<String, Object> alertmanager = ((List<Map<String, Object>>) alerting.get("alertmanagers")).get(0);
            alertmanager.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + alertmanagerPort))));
        }
        List<Map<String, Object>> scrapes = (List<Map<String, Object>>) config.get("scrape_configs");
        assertEquals(1, scrapes.size(), "the example scrapes one job");
        assertEquals(JOB, scrapes.get(0).get("job_name"));
        scrapes.get(0).put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + agentPort))));
        return config;
    }

    /** A Prometheus with {@code config}, and {@code flags} besides those that put it in {@code dir} on 127.0.0.1. */
    static PrometheusServer start(Path dir, Map<String, Object> config, String... flags) throws IOException {
        Files.createDirectories(dir);
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, Monitoring.dump(config), StandardCharsets.UTF_8);
        int port = MonitoringTools.freePort();
        List<String> command = MonitoringTools.command(MonitoringTools.prometheus(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port);
        command.addAll(List.of(flags));
        return new PrometheusServer(ChildServer.start("prometheus", command, port, dir));
    }

    /** Where it listens: {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + server.port;
    }

    /** One series of an instant query's answer. */
    static final class Sample {
        final Map<String, String> labels;
        final double value;

        Sample(Map<String, String> labels, double value) {
            this.labels = labels;
            this.value = value;
        }

        String label(String name) {
            return labels.get(name);
        }

        @Override
        public String toString() {
            return labels + " " + value;
        }
    }

    /** The instant vector {@code expr} evaluates to at {@code time} (seconds since the epoch). */
    @SuppressWarnings("unchecked")
    List<Sample> query(String expr, double time) throws IOException {
        HttpResponse<String> response = server.get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time=" + String.format(Locale.ROOT, "%.3f", time));
        Map<String, Object> answer = (Map<String, Object>) Monitoring.parse(response.body());
        if (response.statusCode() != 200 || !"success".equals(answer.get("status"))) {
            fail("Prometheus refused " + expr + ": " + response.statusCode() + " " + response.body());
        }
        Map<String, Object> data = (Map<String, Object>) answer.get("data");
        assertEquals("vector", data.get("resultType"), expr);
        List<Sample> samples = new ArrayList<>();
        for (Map<String, Object> series : (List<Map<String, Object>>) data.get("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            ((Map<String, Object>) series.get("metric")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
            String value = String.valueOf(((List<Object>) series.get("value")).get(1));
            samples.add(new Sample(labels, Double.parseDouble(value.replace("Inf", "Infinity"))));
        }
        return samples;
    }

    List<Sample> query(String expr) throws IOException {
        return query(expr, now());
    }

    /** Polls {@code expr} until its answer satisfies {@code until}, and returns that answer. */
    List<Sample> await(String expr, Predicate<List<Sample>> until, Duration timeout, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Sample> samples = query(expr);
        while (!until.test(samples)) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + timeout + ": " + expr + " is " + samples + "\n" + server.log());
            }
            ChildServer.pause(200);
            samples = query(expr);
        }
        return samples;
    }

    /**
     * Polls {@code expr} until its series' values, keyed by their label {@code byLabel} (or
     * {@code ""} where they have none), are exactly {@code expected}.
     */
    void awaitValues(String expr, String byLabel, Map<String, Double> expected, Duration timeout) throws IOException {
        await(expr, samples -> expected.equals(byLabel(samples, byLabel)), timeout, "values " + expected);
    }

    private static Map<String, Double> byLabel(List<Sample> samples, String label) {
        Map<String, Double> values = new TreeMap<>();
        for (Sample sample : samples) {
            values.put(sample.labels.getOrDefault(label, ""), sample.value);
        }
        return values;
    }

    /**
     * The trace and span ids ({@code trace_id/span_id}) of the exemplars Prometheus holds for the
     * series of {@code expr}, over the last {@code seconds}.
     */
    @SuppressWarnings("unchecked")
    List<String> exemplarSpans(String expr, double seconds) throws IOException {
        double now = now();
        HttpResponse<String> response = server.get("/api/v1/query_exemplars?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + String.format(Locale.ROOT, "&start=%.3f&end=%.3f", now - seconds, now));
        Map<String, Object> answer = (Map<String, Object>) Monitoring.parse(response.body());
        if (response.statusCode() != 200 || !"success".equals(answer.get("status"))) {
            fail("Prometheus refused the exemplars of " + expr + ": " + response.statusCode() + " " + response.body());
        }
        List<String> spans = new ArrayList<>();
        for (Map<String, Object> series : (List<Map<String, Object>>) answer.get("data")) {
            for (Map<String, Object> exemplar : (List<Map<String, Object>>) series.get("exemplars")) {
                Map<String, Object> labels = (Map<String, Object>) exemplar.get("labels");
                spans.add(labels.get("trace_id") + "/" + labels.get("span_id"));
            }
        }
        return spans;
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
