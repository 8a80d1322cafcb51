package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests sent to one of the presets' test applications ({@code it/service-app},
 * {@code it/servlet-app}, {@code it/httpserver-app}), each with the status it must get, and what
 * the application must then say it served: the lines of its {@code truth} command
 * ({@code it/truth-ledger}), {@code http <method> <route> <status> <error> <count>}.
 */
final class GroundTruth {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final int port;
    private final Map<String, Integer> served = new TreeMap<>();

    GroundTruth(int port) {
        this.port = port;
    }

    /** Sends {@code method path} {@code times} times, each answered {@code status}, to be counted under {@code route}. */
    GroundTruth send(int times, String method, String path, int status, String route, String error) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x") : HttpRequest.BodyPublishers.noBody())
                .build();
        for (int i = 0; i < times; i++) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode(), () -> method + " " + path + ": " + response.body());
        }
        served.merge(String.join(" ", "http", method, route, String.valueOf(status), error), times, Integer::sum);
        return this;
    }

    /** What the application must say it served, in its order (by key). */
    List<String> served() {
        List<String> lines = new ArrayList<>();
        served.forEach((key, count) -> lines.add(key + " " + count));
        return lines;
    }

    /** The application's {@code truth} lines, without their {@code truth } prefix. */
    static List<String> print(JvmProcess app) throws Exception {
        RuleSelectionIT.run(app, "truth");
        List<String> stdout = app.stdout();
        List<String> truth = new ArrayList<>();
        for (int i = stdout.lastIndexOf("done truth") - 1; i >= 0 && stdout.get(i).startsWith("truth "); i--) {
            truth.add(0, stdout.get(i).substring("truth ".length()));
        }
        return truth;
    }

    /**
     * What {@code after}'s counts add to {@code before}'s, line by line (a line's count is its
     * last word): what the application did between the two.
     */
    static List<String> since(List<String> before, List<String> after) {
        Map<String, Long> earlier = new TreeMap<>();
        for (String line : before) {
            int last = line.lastIndexOf(' ');
            earlier.put(line.substring(0, last), Long.parseLong(line.substring(last + 1)));
        }
        List<String> added = new ArrayList<>();
        for (String line : after) {
            int last = line.lastIndexOf(' ');
            long count = Long.parseLong(line.substring(last + 1)) - earlier.getOrDefault(line.substring(0, last), 0L);
            if (count != 0) {
                added.add(line.substring(0, last) + " " + count);
            }
        }
        return added;
    }

    /** The lines of {@code truth} that start with {@code kind}. */
    static List<String> of(String kind, List<String> truth) {
        return truth.stream().filter(line -> line.startsWith(kind + " ")).toList();
    }
}
