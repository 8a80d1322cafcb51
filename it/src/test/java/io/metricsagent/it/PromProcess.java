package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A Prometheus server or a Pushgateway (the Debian packages' binaries) started by a test on a free
 * port of 127.0.0.1, with its storage and its log in the test's own directory; closing it stops it.
 */
final class PromProcess implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private PromProcess(String name, List<String> command, int port, Path log) throws IOException {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Skips the calling test, saying so, when {@code binary} is not installed. */
    static Path require(String binary, String debianPackage) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Paths.get(dir.isEmpty() ? "." : dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Assumptions.assumeTrue(false, binary + " is not installed (Debian package " + debianPackage
                + "; .ci/run installs it); this test is skipped");
        throw new AssertionError();
    }

    /** A Prometheus with {@code config}, storing under {@code dir}, evaluating and scraping as the config says. */
    static PromProcess prometheus(String name, Path dir, String config, String... flags) throws Exception {
        Path binary = require("prometheus", "prometheus");
        Path home = Files.createDirectories(dir.resolve(name));
        Path configFile = home.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        command.addAll(List.of(flags));
        return started(new PromProcess(name, command, port, home.resolve("log")));
    }

    /** A Pushgateway that keeps what is pushed in memory only. */
    static PromProcess pushgateway(Path dir) throws Exception {
        Path binary = require("prometheus-pushgateway", "prometheus-pushgateway");
        Path home = Files.createDirectories(dir.resolve("pushgateway"));
        int port = freePort();
        return started(new PromProcess("pushgateway", List.of(binary.toString(),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"), port, home.resolve("log")));
    }

    private static PromProcess started(PromProcess server) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && server.process.isAlive()) {
            try {
                if (server.get("/-/ready").statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        String problem = server.describe();
        server.close();
        fail(server.name + " did not become ready within " + TIMEOUT + ": " + problem);
        throw new AssertionError();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An instant query's vector: each series' labels (sorted) and value. */
    @SuppressWarnings("unchecked")
    Map<Map<String, String>, Double> query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new AssertionError(name + ": " + promql + " answered " + response.statusCode() + ": " + response.body());
        }
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) Json.parse(response.body())).get("data");
        Map<Map<String, String>, Double> vector = new LinkedHashMap<>();
        if ("scalar".equals(data.get("resultType"))) {
            vector.put(Map.of(), Double.valueOf((String) ((List<Object>) data.get("result")).get(1)));
            return vector;
        }
        for (Object element : (List<Object>) data.get("result")) {
            Map<String, Object> sample = (Map<String, Object>) element;
            Map<String, String> labels = new TreeMap<>();
            ((Map<String, Object>) sample.get("metric")).forEach((k, v) -> labels.put(k, (String) v));
            vector.put(labels, Double.valueOf((String) ((List<Object>) sample.get("value")).get(1)));
        }
        return vector;
    }

    /**
     * The query's vector once {@code expected} holds of it, polling while the servers scrape,
     * federate and forward; fails with the last answer after {@link #TIMEOUT}.
     */
    Map<Map<String, String>, Double> await(String promql, Predicate<Map<Map<String, String>, Double>> expected,
                                           String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<Map<String, String>, Double> last = null;
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (expected.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        fail(name + ": " + what + " not seen within " + TIMEOUT + "; " + promql + " last gave " + last + "\n" + describe());
        throw new AssertionError();
    }

    /** Waits until the query gives exactly {@code expected}, by one label's value (or {@code ""} for none). */
    void awaitValues(String promql, String byLabel, Map<String, Double> expected) throws Exception {
        await(promql, vector -> expected.equals(byLabel(vector, byLabel)), "values " + expected);
    }

    static Map<String, Double> byLabel(Map<Map<String, String>, Double> vector, String label) {
        Map<String, Double> values = new TreeMap<>();
        vector.forEach((labels, value) -> values.put(labels.getOrDefault(label, ""), value));
        return values;
    }

    String describe() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- " + name + " log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "--- " + name + " log unreadable: " + e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
