package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Counter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Gauge;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Histogram;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The behaviour-case tables pass on a scrape that holds them and name every sample that differs. */
class ExpectedTest {

    private static final String CALLS = """
            calls_total{gateway, outcome}
            card    success  3
            card    failure  1
            wallet  success  2
            wallet  failure  0
            """;

    @Test
    void aScrapeThatHoldsTheTablesPasses() throws Exception {
        Expected.assertSamples(scrape(), "case", CALLS + """

                # zeros of a counter left out
                calls_total{outcome} != 0
                success  5
                failure  1

                calls_total{gateway=card}
                4

                in_flight{gateway}
                card    0
                wallet  0

                duration_seconds_count{gateway=card}
                4

                duration_seconds_sum
                0.75
                """);
        Expected.assertSamples(scrape(), "computed", new Expected.Table("calls_total{gateway=wallet, outcome} != 0")
                .row("success", 2).toString());
    }

    @Test
    void everyMismatchIsReportedAtOnceWithTheCaseName() throws Exception {
        AssertionError error = assertThrows(AssertionError.class, () -> Expected.assertSamples(scrape(), "two gateways", """
                calls_total{gateway, outcome}
                card    success  3
                card    failure  2
                bank    success  1

                calls_total{gateway=wallet}
                0

                in_flight{gateway} != 0
                card  1

                gone_total
                0
                """));
        assertEquals(String.join("\n",
                "two gateways: 7 sample(s) not as expected",
                "  calls_total{gateway=\"card\", outcome=\"failure\"} expected 2, scraped 1",
                "  calls_total{gateway=\"bank\", outcome=\"success\"} expected 1, not scraped",
                "  calls_total{gateway=\"wallet\", outcome=\"success\"} scraped 2, not in the table",
                "  calls_total{gateway=\"wallet\", outcome=\"failure\"} scraped 0, not in the table",
                "  calls_total{gateway=\"wallet\"} expected 0, scraped 2",
                "  in_flight{gateway=\"card\"} expected 1, not scraped",
                "  gone_total: not exposed; exposed are [calls_total, in_flight, duration_seconds]"), error.getMessage());
    }

    @Test
    void aTableThatCannotFailIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Expected.assertSamples(scrape(), "zero", """
                calls_total{outcome} != 0
                success  5
                failure  0
                """));
        assertThrows(IllegalArgumentException.class, () -> Expected.assertSamples(scrape(), "short row", """
                calls_total{gateway, outcome}
                card  3
                """));
    }

    private static Exposition scrape() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        MetricFamily.newBuilder().setName("calls_total")
                .addMetric(counter(3, "gateway", "card", "outcome", "success"))
                .addMetric(counter(1, "gateway", "card", "outcome", "failure"))
                .addMetric(counter(2, "gateway", "wallet", "outcome", "success"))
                .addMetric(counter(0, "gateway", "wallet", "outcome", "failure"))
                .build().writeDelimitedTo(body);
        MetricFamily.newBuilder().setName("in_flight")
                .addMetric(Metric.newBuilder().addLabel(label("gateway", "card")).setGauge(Gauge.newBuilder().setValue(0)))
                .addMetric(Metric.newBuilder().addLabel(label("gateway", "wallet")).setGauge(Gauge.newBuilder().setValue(0)))
                .build().writeDelimitedTo(body);
        MetricFamily.newBuilder().setName("duration_seconds")
                .addMetric(Metric.newBuilder().addLabel(label("gateway", "card"))
                        .setHistogram(Histogram.newBuilder().setSampleCount(4).setSampleSum(0.5)))
                .addMetric(Metric.newBuilder().addLabel(label("gateway", "wallet"))
                        .setHistogram(Histogram.newBuilder().setSampleCount(2).setSampleSum(0.25)))
                .build().writeDelimitedTo(body);
        return Exposition.parse(body.toByteArray());
    }

    private static Metric.Builder counter(double value, String... labels) {
        Metric.Builder metric = Metric.newBuilder().setCounter(Counter.newBuilder().setValue(value));
        for (int i = 0; i < labels.length; i += 2) {
            metric.addLabel(label(labels[i], labels[i + 1]));
        }
        return metric;
    }

    private static LabelPair label(String name, String value) {
        return LabelPair.newBuilder().setName(name).setValue(value).build();
    }
}
