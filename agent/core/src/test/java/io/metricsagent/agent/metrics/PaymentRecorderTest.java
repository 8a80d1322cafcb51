package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PaymentRecorderTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private PaymentMetrics metrics(int maxSeries, int maxLabelLength) {
        return new PaymentMetrics(registry, false, new SeriesLimit(maxSeries), maxLabelLength);
    }

    private String scrape(String prefix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.startsWith(prefix))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void combinationsBeyondTheBoundGoToOneOverflowSeriesAndAreCounted() throws IOException {
        PaymentMetrics metrics = metrics(4, 128);
        PaymentRecorder recorder = metrics.recorder("g", "USD", "svc");
        for (int tier = 0; tier < 6; tier++) {
            recorder.record(1_000_000, 10, null, "t" + tier, "card", null);
        }
        recorder.record(1_000_000, 10, null, "t0", "card", null);
        assertEquals(""
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"__overflow__\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t0\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t1\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"__overflow__\"} 4.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t0\"} 2.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t1\"} 1.0",
                scrape("payment_requests_total{"));
        Map<String, Long> folded = metrics.limit.folded().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
        assertEquals(Map.of("payment_requests_total", 4L, "payment_amount_usd", 4L), folded);
    }

    @Test
    void argumentLabelsAreCutWithoutSplittingASurrogatePair() throws IOException {
        PaymentMetrics metrics = metrics(1000, 8);
        PaymentRecorder recorder = metrics.recorder("gateway-longer-than-8", "USD", "svc");
        recorder.record(0, 1, null, "abcdefghij", "abcdefg\uD83D\uDE00x", null);
        assertEquals("payment_requests_total{gateway=\"gateway-\",status=\"success\",user_tier=\"abcdefgh\"} 1.0",
                scrape("payment_requests_total{gateway=\"gateway-\",status=\"success\""));
        assertEquals("payment_duration_seconds_count{gateway=\"gateway-\",payment_method=\"abcdefg\"} 1",
                scrape("payment_duration_seconds_count"));
    }

    @Test
    void nonFiniteAmountsCountTheCallButAreNotObserved() throws IOException {
        PaymentRecorder recorder = metrics(1000, 128).recorder("g", "USD", "svc");
        recorder.record(0, Double.NaN, null, "t", null, null);
        recorder.record(0, Double.POSITIVE_INFINITY, null, "t", null, new IllegalStateException());
        recorder.record(0, 0, Double.NEGATIVE_INFINITY, "t", null, null);
        recorder.record(0, -5, null, "t", null, null);
        assertEquals("payment_amount_usd_count{currency=\"USD\",user_tier=\"t\"} 1", scrape("payment_amount_usd_count"));
        assertEquals("payment_amount_usd_sum{currency=\"USD\",user_tier=\"t\"} -5.0", scrape("payment_amount_usd_sum"));
        assertEquals("payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t\"} 1.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t\"} 3.0", scrape("payment_requests_total{"));
        assertEquals("errors_total{error_type=\"IllegalStateException\",service=\"svc\",severity=\"high\"} 1.0",
                scrape("errors_total{error_type=\"IllegalStateException\",service=\"svc\",severity=\"high\"}"));
    }
}
