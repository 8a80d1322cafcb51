package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.description.ErrorRule;
import io.metricsagent.agent.description.FailureCondition;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.description.MethodMeter;
import io.metricsagent.agent.description.PaymentPreset;
import io.metricsagent.agent.description.ValueSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MethodRecorderTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MetricFamilies families = new MetricFamilies(false);
    private SeriesLimit limit;

    private MethodRecorder recorder(MethodMeter meter, int maxSeries, int maxLabelLength) {
        limit = new SeriesLimit(maxSeries);
        registry.register(families);
        return new MethodRecorder(meter, families.declareAll(meter.families()), -1, limit, maxLabelLength);
    }

    /** A payment method whose amount, tier and payment method are its arguments 0, 1 and 2. */
    private static MethodMeter payment(String gateway) {
        return PaymentPreset.describe("Fixture.pay()", gateway, "USD", "svc",
                ValueSource.argument(0, List.of()), ValueSource.argument(1, List.of()), ValueSource.argument(2, List.of()));
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
        MethodRecorder recorder = recorder(payment("g"), 4, 128);
        for (int tier = 0; tier < 6; tier++) {
            recorder.record(1_000_000, 0, null, 10, "t" + tier, "card", null, null, null, null);
        }
        recorder.record(1_000_000, 0, null, 10, "t0", "card", null, null, null, null);
        assertEquals(""
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"__overflow__\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t0\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t1\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"__overflow__\"} 4.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t0\"} 2.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t1\"} 1.0",
                scrape("payment_requests_total{"));
        Map<String, Long> folded = limit.folded().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
        assertEquals(Map.of("payment_requests_total", 4L, "payment_amount_usd", 4L), folded);
    }

    @Test
    void argumentLabelsAreCutWithoutSplittingASurrogatePair() throws IOException {
        MethodRecorder recorder = recorder(payment("gateway-longer-than-8"), 1000, 8);
        recorder.record(0, 0, null, 1, "abcdefghij", "abcdefg\uD83D\uDE00x", null, null, null, null);
        assertEquals("payment_requests_total{gateway=\"gateway-\",status=\"success\",user_tier=\"abcdefgh\"} 1.0",
                scrape("payment_requests_total{gateway=\"gateway-\",status=\"success\""));
        assertEquals("payment_duration_seconds_count{gateway=\"gateway-\",payment_method=\"abcdefg\"} 1",
                scrape("payment_duration_seconds_count"));
    }

    @Test
    void nonFiniteAmountsCountTheCallButAreNotObserved() throws IOException {
        MethodRecorder recorder = recorder(payment("g"), 1000, 128);
        recorder.record(0, 0, null, Double.NaN, "t", null, null, null, null, null);
        recorder.record(0, 0, new IllegalStateException(), Double.POSITIVE_INFINITY, "t", null, null, null, null, null);
        recorder.record(0, 0, null, Double.NEGATIVE_INFINITY, "t", null, null, null, null, null);
        recorder.record(0, 0, null, -5, "t", null, null, null, null, null);
        assertEquals("payment_amount_usd_count{currency=\"USD\",user_tier=\"t\"} 1", scrape("payment_amount_usd_count"));
        assertEquals("payment_amount_usd_sum{currency=\"USD\",user_tier=\"t\"} -5.0", scrape("payment_amount_usd_sum"));
        assertEquals("payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t\"} 1.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t\"} 3.0", scrape("payment_requests_total{"));
        assertEquals("errors_total{error_type=\"IllegalStateException\",service=\"svc\",severity=\"high\"} 1.0\n"
                        + "errors_total{error_type=\"IllegalStateException\",service=\"svc\",severity=\"medium\"} 0.0",
                scrape("errors_total{"));
    }

    @Test
    void nativeHistogramsOptionKeepsTheSameClassicExposition() throws IOException {
        families = new MetricFamilies(true);
        MethodRecorder recorder = recorder(payment("g"), 100, 128);
        recorder.record(300_000_000, 0, null, 75, "basic", "card", null, null, null, null);
        assertEquals("payment_amount_usd_bucket{currency=\"USD\",user_tier=\"basic\",le=\"50.0\"} 0\n"
                        + "payment_amount_usd_bucket{currency=\"USD\",user_tier=\"basic\",le=\"100.0\"} 1",
                scrape("payment_amount_usd_bucket{currency=\"USD\",user_tier=\"basic\",le=\"").replaceAll(
                        "(?m)^.*le=\"(1|10|500|1000|5000|\\+Inf)\\.?0?\"\\} .*\n?", "").trim());
        assertEquals("payment_duration_seconds_count{gateway=\"g\",payment_method=\"card\"} 1",
                scrape("payment_duration_seconds_count"));
    }

    /** Labels from two values, an outcome and the exception; two families keyed alike share one lookup. */
    @Test
    void generalFamiliesTakeOutcomeExceptionAndValueLabels() throws IOException {
        MethodMeter meter = new MethodMeter("Shop.order()",
                List.of(ValueSource.argument(0, List.of()), ValueSource.returnValue(List.of("status"))),
                null, Double.NaN, List.of(
                FamilySpec.counter("orders_total", "Orders")
                        .label("outcome", LabelSource.outcome("success", "failure"))
                        .label("exception", LabelSource.exception("none"))
                        .label("region", LabelSource.value(0))
                        .label("status", LabelSource.value(1))
                        .build(),
                FamilySpec.histogram("orders_duration_seconds", "Orders, duration", new double[] {1},
                                FamilySpec.Observed.DURATION_SECONDS)
                        .label("region", LabelSource.value(0))
                        .build()));
        MethodRecorder recorder = recorder(meter, 1000, 128);
        recorder.record(2_000_000_000L, 0, null, 0, "eu", "OK", null, null, null, null);
        recorder.record(500_000_000L, 0, new IllegalArgumentException(), 0, "eu", null, null, null, null, null);
        recorder.record(500_000_000L, 0, new IllegalArgumentException(), 0, "us", null, null, null, null, null);
        assertEquals(""
                + "orders_total{exception=\"IllegalArgumentException\",outcome=\"failure\",region=\"eu\",status=\"unknown\"} 1.0\n"
                + "orders_total{exception=\"IllegalArgumentException\",outcome=\"failure\",region=\"us\",status=\"unknown\"} 1.0\n"
                + "orders_total{exception=\"none\",outcome=\"success\",region=\"eu\",status=\"OK\"} 1.0\n"
                + "orders_total{exception=\"none\",outcome=\"success\",region=\"eu\",status=\"unknown\"} 0.0\n"
                + "orders_total{exception=\"none\",outcome=\"success\",region=\"us\",status=\"unknown\"} 0.0",
                scrape("orders_total{"));
        assertEquals("orders_duration_seconds_count{region=\"eu\"} 2\n"
                + "orders_duration_seconds_count{region=\"us\"} 1", scrape("orders_duration_seconds_count"));
        assertEquals("orders_duration_seconds_sum{region=\"eu\"} 2.5\n"
                + "orders_duration_seconds_sum{region=\"us\"} 0.5", scrape("orders_duration_seconds_sum"));
    }

    /** The payment preset with classification: error types by rule, severity by rule or else by amount. */
    @Test
    void classifiedExceptionsTakeTheirErrorTypeAndSeverity() throws IOException {
        MethodMeter plain = payment("g");
        MethodMeter meter = new MethodMeter(plain.method(), plain.values(), plain.number(), plain.numberWhenAbsent(),
                plain.families(), null, List.of(
                        new ErrorRule(TimeoutException.class.getName(), "timeout", ErrorRule.Severity.ABOVE, true),
                        new ErrorRule(IllegalArgumentException.class.getName(), "invalid", ErrorRule.Severity.BY_NUMBER, false),
                        new ErrorRule(IllegalStateException.class.getName(), "state", ErrorRule.Severity.OTHERWISE, false)));
        MethodRecorder recorder = recorder(meter, 1000, 128);
        recorder.record(0, 0, new RuntimeException(new TimeoutException()), 10, "t", null, null, null, null, null);
        recorder.record(0, 0, new IllegalArgumentException(), 2000, "t", null, null, null, null, null);
        recorder.record(0, 0, new NumberFormatException(), 5, "t", null, null, null, null, null);
        recorder.record(0, 0, new IllegalStateException(), 5000, "t", null, null, null, null, null);
        // The IllegalArgumentException rule does not look through causes: the wrapper's own name.
        recorder.record(0, 0, new UnsupportedOperationException(new IllegalArgumentException()), 5, "t", null, null, null,
                null, null);
        recorder.record(0, 0, null, 5, "t", null, null, null, null, null);
        assertEquals(""
                + "errors_total{error_type=\"UnsupportedOperationException\",service=\"svc\",severity=\"high\"} 0.0\n"
                + "errors_total{error_type=\"UnsupportedOperationException\",service=\"svc\",severity=\"medium\"} 1.0\n"
                + "errors_total{error_type=\"invalid\",service=\"svc\",severity=\"high\"} 1.0\n"
                + "errors_total{error_type=\"invalid\",service=\"svc\",severity=\"medium\"} 1.0\n"
                + "errors_total{error_type=\"state\",service=\"svc\",severity=\"high\"} 0.0\n"
                + "errors_total{error_type=\"state\",service=\"svc\",severity=\"medium\"} 1.0\n"
                + "errors_total{error_type=\"timeout\",service=\"svc\",severity=\"high\"} 1.0\n"
                + "errors_total{error_type=\"timeout\",service=\"svc\",severity=\"medium\"} 0.0",
                scrape("errors_total{"));
        assertEquals("payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"t\"} 5.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"t\"} 1.0",
                scrape("payment_requests_total{"));
    }

    /**
     * An error type given as text (by classification or by the failure condition) is one series
     * per text, apart from the series of a class whose name is that text.
     */
    @Test
    void errorTypesGivenAsTextShareTheirSeriesAndNeverTakeAClassNamesSeries() throws IOException {
        MethodMeter meter = new MethodMeter("Shop.order()", List.of(ValueSource.returnValue(List.of("status"))),
                null, Double.NaN, List.of(FamilySpec.counter("orders_total", "Orders")
                        .label("outcome", LabelSource.outcome("success", "failure"))
                        .label("exception", LabelSource.exception("none"))
                        .build()),
                new FailureCondition(0, Set.of("DECLINED"), true, false, "DECLINED"),
                List.of(new ErrorRule(TimeoutException.class.getName(), IllegalStateException.class.getName(),
                                ErrorRule.Severity.ABOVE, true),
                        new ErrorRule(IllegalArgumentException.class.getName(), "DECLINED", ErrorRule.Severity.BY_NUMBER, false)));
        MethodRecorder recorder = recorder(meter, 1000, 128);
        recorder.record(0, 0, new IllegalStateException(), 0, null, null, null, null, null, null);
        recorder.record(0, 0, new IllegalStateException(new TimeoutException()), 0, null, null, null, null, null, null);
        recorder.record(0, 0, null, 0, "DECLINED", null, null, null, null, null);
        recorder.record(0, 0, new IllegalArgumentException(), 0, null, null, null, null, null, null);
        recorder.record(0, 0, null, 0, "OK", null, null, null, null, null);
        assertEquals(""
                + "orders_total{exception=\"DECLINED\",outcome=\"failure\"} 2.0\n"
                + "orders_total{exception=\"IllegalStateException\",outcome=\"failure\"} 1.0\n"
                + "orders_total{exception=\"java.lang.IllegalStateException\",outcome=\"failure\"} 1.0\n"
                + "orders_total{exception=\"none\",outcome=\"success\"} 1.0",
                scrape("orders_total{"));
    }

    @Test
    void aClashingOrInvalidNameIsRefusedAndNothingOfTheMethodIsDeclared() {
        recorder(payment("g"), 1000, 128);
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> families.declareAll(List.of(
                FamilySpec.counter("fine_total", "fine").build(),
                FamilySpec.histogram("payment_requests", "clash", new double[] {1}, FamilySpec.Observed.NUMBER).build())));
        assertEquals("'payment_requests' clashes with the metric 'payment_requests_total'"
                + " (counter {status,gateway,user_tier}) already defined", clash.getMessage());
        // fine_total was rolled back: declaring it with other labels now works.
        families.declareAll(List.of(FamilySpec.counter("fine_total", "fine").label("k", LabelSource.constant("v")).build()));
        assertEquals("'queue_total' ends with _total, which Prometheus keeps for counters",
                assertThrows(IllegalArgumentException.class, () -> families.declareGauge("queue_total", List.of()))
                        .getMessage());
        IllegalArgumentException gauge = assertThrows(IllegalArgumentException.class,
                () -> families.declareGauge("payment_requests", List.of()));
        assertTrue(gauge.getMessage().startsWith("'payment_requests' clashes with the metric 'payment_requests_total'"),
                gauge.getMessage());
        assertEquals("'bad-name_total' is not a valid metric name ([a-zA-Z_][a-zA-Z0-9_]*)",
                assertThrows(IllegalArgumentException.class, () -> families.declareAll(List.of(
                        FamilySpec.counter("bad-name_total", "bad").build()))).getMessage());
        assertEquals("metric 'x_total': '__x' is not a valid label name",
                assertThrows(IllegalArgumentException.class, () -> families.declareAll(List.of(
                        FamilySpec.counter("x_total", "x").label("__x", LabelSource.constant("v")).build()))).getMessage());
        assertEquals("'memory_usage_bytes' clashes with the metric 'memory_usage_bytes' (the host sampler's gauge) already defined",
                assertThrows(IllegalArgumentException.class,
                        () -> families.declareGauge("memory_usage_bytes", List.of())).getMessage());
        assertEquals("'metrics_agent_x' is taken: names starting metrics_agent_ are the agent's own",
                assertThrows(IllegalArgumentException.class,
                        () -> families.declareGauge("metrics_agent_x", List.of())).getMessage());
    }
}
