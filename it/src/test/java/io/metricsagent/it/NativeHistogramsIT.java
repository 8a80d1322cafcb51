package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.BucketSpan;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Histogram;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code native_histograms=true}: the sample's two histograms carry native (sparse) buckets beside
 * the classic ones when scraped over protobuf, as Prometheus scrapes them, and each observation
 * is in the native bucket its value belongs to. Without the option there are no native fields.
 */
class NativeHistogramsIT {

    private static final int REQUESTS = 100;
    private static final int PER_SCENARIO = REQUESTS / 5;
    private static final String[] FAMILIES = {"payment_duration_seconds", "payment_amount_usd"};

    @OnEveryJdk
    void nativeBucketsHoldEveryObservation(String jdk, Path java) throws Exception {
        try (JvmProcess app = sample(java, "host=127.0.0.1,port=0,native_histograms=true")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=" + REQUESTS + " ");
            Exposition m = Exposition.scrape(port);

            // The amounts are the scenarios' own, so each native bucket's count is known exactly.
            assertAmounts(m, "standard", 50.0, 1200.0);
            assertAmounts(m, "premium", 150.0, 500.0);
            assertAmounts(m, "basic", 25.0);

            // Durations are not known; every one of them is in some bucket, and the buckets bound their sum.
            assertDurations(m, "credit_card", 2 * PER_SCENARIO);
            assertDurations(m, "paypal", PER_SCENARIO);
            assertDurations(m, "debit_card", PER_SCENARIO);
            assertDurations(m, "apple_pay", PER_SCENARIO);
        }
    }

    @Test
    void withoutTheOptionHistogramsHaveNoNativeFields() throws Exception {
        try (JvmProcess app = sample(Jdks.current(), "host=127.0.0.1,port=0")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=" + REQUESTS + " ");
            Exposition m = Exposition.scrape(port);
            for (String family : FAMILIES) {
                assertEquals(REQUESTS, m.histogramCount(family), family);
                for (Metric series : m.family(family).getMetricList()) {
                    Histogram h = series.getHistogram();
                    String name = family + Exposition.labels(series);
                    assertFalse(h.hasSchema(), name);
                    assertFalse(h.hasZeroThreshold(), name);
                    assertFalse(h.hasZeroCount(), name);
                    assertEquals(0, h.getPositiveSpanCount(), name);
                    assertEquals(0, h.getPositiveDeltaCount(), name);
                    assertEquals(0, h.getNegativeSpanCount(), name);
                    assertEquals(8, h.getBucketCount(), name + ": the classic buckets and +Inf");
                }
            }
        }
    }

    private static void assertAmounts(Exposition m, String tier, double... amounts) {
        Histogram h = nativeHistogram(m, "payment_amount_usd", "currency=USD", "user_tier=" + tier);
        assertEquals(PER_SCENARIO * amounts.length, h.getSampleCount(), tier);
        assertTrue(h.getZeroThreshold() < 25.0, "zero threshold " + h.getZeroThreshold());
        assertEquals(0, h.getZeroCount(), tier);
        Map<Integer, Long> expected = new TreeMap<>();
        for (double amount : amounts) {
            expected.merge(index(amount, h.getSchema()), (long) PER_SCENARIO, Long::sum);
        }
        assertEquals(expected, positiveBuckets(h), tier + " at schema " + h.getSchema());
    }

    private static void assertDurations(Exposition m, String paymentMethod, long calls) {
        Histogram h = nativeHistogram(m, "payment_duration_seconds", "gateway=stripe", "payment_method=" + paymentMethod);
        assertEquals(calls, h.getSampleCount(), paymentMethod);
        Map<Integer, Long> buckets = positiveBuckets(h);
        assertEquals(calls, h.getZeroCount() + buckets.values().stream().mapToLong(Long::longValue).sum(), paymentMethod);
        double low = 0;
        double high = h.getZeroCount() * h.getZeroThreshold();
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            low += bucket.getValue() * upperBound(bucket.getKey() - 1, h.getSchema());
            high += bucket.getValue() * upperBound(bucket.getKey(), h.getSchema());
        }
        double sum = h.getSampleSum();
        assertTrue(low <= sum * (1 + 1e-9) && sum <= high * (1 + 1e-9),
                paymentMethod + ": sum " + sum + " outside what its native buckets allow, " + low + ".." + high);
    }

    /** The one series of {@code name} with {@code labels}, checked to be a native histogram without negative buckets. */
    private static Histogram nativeHistogram(Exposition m, String name, String... labels) {
        List<Metric> series = m.series(name, labels);
        assertEquals(1, series.size(), name + " " + String.join(",", labels));
        Histogram h = series.get(0).getHistogram();
        assertTrue(h.hasSchema(), name + " has no schema");
        assertTrue(h.getSchema() >= -4 && h.getSchema() <= 8, "schema " + h.getSchema());
        assertTrue(h.hasZeroThreshold(), name + " has no zero threshold");
        assertTrue(h.getZeroThreshold() >= 0, "zero threshold " + h.getZeroThreshold());
        assertEquals(0, h.getNegativeSpanCount(), name);
        assertEquals(0, h.getNegativeDeltaCount(), name);
        return h;
    }

    /**
     * Bucket index to count, from the spans (the first offset is an index, the next ones gaps
     * after the previous span) and the deltas (each count relative to the bucket before).
     */
    private static Map<Integer, Long> positiveBuckets(Histogram h) {
        Map<Integer, Long> buckets = new TreeMap<>();
        List<Long> deltas = new ArrayList<>(h.getPositiveDeltaList());
        int index = 0;
        int d = 0;
        long count = 0;
        for (BucketSpan span : h.getPositiveSpanList()) {
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += deltas.get(d++);
                assertTrue(count >= 0, "negative bucket count " + count);
                if (count > 0) {
                    buckets.put(index, count);
                }
                index++;
            }
        }
        assertEquals(deltas.size(), d, "spans and deltas disagree");
        return buckets;
    }

    /** Native bucket {@code i} holds (base^(i-1), base^i], base = 2^(2^-schema). */
    private static int index(double value, int schema) {
        return (int) Math.ceil(Math.log(value) / Math.log(2) * Math.pow(2, schema));
    }

    private static double upperBound(int index, int schema) {
        return Math.pow(2, index * Math.pow(2, -schema));
    }

    private static JvmProcess sample(Path java, String agentOptions) throws Exception {
        return AgentJvm.on(java).agent(agentOptions)
                .jar(Artifacts.sampleJar())
                .args("--requests", String.valueOf(REQUESTS), "--threads", "2", "--speed", "0", "--seed", "7").start();
    }
}
