package io.metricsagent.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The four payment metric families of the SPEC; names, labels and buckets are a contract with
 * the dashboards and alerts in {@code monitoring/}. Each woven method records into them through
 * its own {@link PaymentRecorder}.
 */
public final class PaymentMetrics {

    static final String REQUESTS = "payment_requests_total";
    static final String DURATION = "payment_duration_seconds";
    static final String AMOUNT = "payment_amount_usd";
    static final String ERRORS = "errors_total";
    static final double[] DURATION_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] AMOUNT_BUCKETS = {1, 10, 50, 100, 500, 1000, 5000};

    final Counter requests;
    final Histogram duration;
    final Histogram amount;
    final Counter errors;
    final SeriesLimit limit;
    final int maxLabelLength;

    PaymentMetrics(PrometheusRegistry registry, boolean nativeHistograms, SeriesLimit limit, int maxLabelLength) {
        this.limit = limit;
        this.maxLabelLength = maxLabelLength;
        requests = Counter.builder()
                .name(REQUESTS)
                .help("Total number of payment requests")
                .labelNames("status", "gateway", "user_tier")
                .withoutExemplars()
                .register(registry);
        duration = histogram(nativeHistograms)
                .name(DURATION)
                .help("Payment processing duration")
                .labelNames("gateway", "payment_method")
                .classicUpperBounds(DURATION_BUCKETS)
                .register(registry);
        amount = histogram(nativeHistograms)
                .name(AMOUNT)
                .help("Payment amounts in USD")
                .labelNames("currency", "user_tier")
                .classicUpperBounds(AMOUNT_BUCKETS)
                .register(registry);
        errors = Counter.builder()
                .name(ERRORS)
                .help("Total number of errors")
                .labelNames("service", "error_type", "severity")
                .withoutExemplars()
                .register(registry);
    }

    // Exemplars off: without a tracer they only cost a sampler thread and a check per call.
    // Classic only unless asked: the hybrid default keeps a native bucket map beside the classic
    // buckets, which the text formats never show and which costs more per observation.
    private static Histogram.Builder histogram(boolean nativeHistograms) {
        Histogram.Builder builder = Histogram.builder().withoutExemplars();
        return nativeHistograms ? builder : builder.classicOnly();
    }

    /** The recorder of one {@code @MeteredPayment} method, with its constant labels. */
    public PaymentRecorder recorder(String gateway, String currency, String service) {
        return new PaymentRecorder(this, truncate(gateway), truncate(currency), truncate(service));
    }

    String truncate(String labelValue) {
        if (labelValue.length() <= maxLabelLength) {
            return labelValue;
        }
        int end = Character.isHighSurrogate(labelValue.charAt(maxLabelLength - 1)) ? maxLabelLength - 1 : maxLabelLength;
        return labelValue.substring(0, end);
    }
}
