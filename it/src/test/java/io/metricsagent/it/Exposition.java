package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One scrape of a {@code /metrics} endpoint on 127.0.0.1, parsed by the Prometheus protobuf
 * classes (the format Prometheus itself negotiates first).
 */
final class Exposition {

    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, MetricFamily> families;

    private Exposition(Map<String, MetricFamily> families) {
        this.families = families;
    }

    static HttpResponse<byte[]> get(int port, String path, String accept) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", accept)
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static Exposition scrape(int port) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(port, "/metrics", PROTOBUF);
        assertEquals(200, response.statusCode());
        return parse(response.body());
    }

    /** The first scrape that satisfies {@code condition}, within {@link JvmProcess#TIMEOUT}. */
    static Exposition await(int port, Predicate<Exposition> condition) throws Exception {
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        while (true) {
            Exposition m = Exposition.scrape(port);
            if (condition.test(m)) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                fail("no scrape within " + JvmProcess.TIMEOUT + " met the condition; the last exposed " + m.names());
            }
            Thread.sleep(100);
        }
    }

    /** Length-delimited protobuf metric families, as {@code /metrics} serves them for {@link #PROTOBUF}. */
    static Exposition parse(byte[] body) throws IOException {
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        try (InputStream in = new ByteArrayInputStream(body)) {
            for (MetricFamily family; (family = MetricFamily.parseDelimitedFrom(in)) != null; ) {
                families.put(family.getName(), family);
            }
        }
        return new Exposition(families);
    }

    /** The names of the families exposed. */
    Set<String> names() {
        return families.keySet();
    }

    boolean has(String name) {
        return families.containsKey(name);
    }

    MetricFamily family(String name) {
        MetricFamily family = families.get(name);
        assertNotNull(family, () -> name + " is not exposed; exposed are " + families.keySet());
        return family;
    }

    /** The series of a family whose labels include all of {@code labels} ("k=v" pairs). */
    List<Metric> series(String name, String... labels) {
        Predicate<Metric> matches = m -> {
            Map<String, String> have = labels(m);
            for (String pair : labels) {
                String[] kv = pair.split("=", 2);
                if (!kv[1].equals(have.get(kv[0]))) {
                    return false;
                }
            }
            return true;
        };
        return family(name).getMetricList().stream().filter(matches).collect(Collectors.toList());
    }

    static Map<String, String> labels(Metric metric) {
        Map<String, String> labels = new TreeMap<>();
        for (LabelPair pair : metric.getLabelList()) {
            labels.put(pair.getName(), pair.getValue());
        }
        return labels;
    }

    /** Sum of counter values over the matching series. */
    double counter(String name, String... labels) {
        return series(name, labels).stream().mapToDouble(m -> m.getCounter().getValue()).sum();
    }

    /** Sum of gauge values over the matching series. */
    double gauge(String name, String... labels) {
        return series(name, labels).stream().mapToDouble(m -> m.getGauge().getValue()).sum();
    }

    /** Sum of histogram sample counts over the matching series. */
    long histogramCount(String name, String... labels) {
        return series(name, labels).stream().mapToLong(m -> m.getHistogram().getSampleCount()).sum();
    }

    /** Sum of histogram sample sums over the matching series. */
    double histogramSum(String name, String... labels) {
        return series(name, labels).stream().mapToDouble(m -> m.getHistogram().getSampleSum()).sum();
    }

    /** Cumulative count of the bucket with upper bound {@code le}, summed over the matching series. */
    long bucket(String name, double le, String... labels) {
        return series(name, labels).stream()
                .flatMap(m -> m.getHistogram().getBucketList().stream())
                .filter(b -> b.getUpperBound() == le)
                .mapToLong(b -> b.getCumulativeCount())
                .sum();
    }
}
