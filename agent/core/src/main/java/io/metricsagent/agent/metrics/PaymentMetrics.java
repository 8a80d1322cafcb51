package io.metricsagent.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The four payment metric families of the SPEC; names, labels and buckets are a contract with
 * the dashboards and alerts in {@code monitoring/}. Each woven method records into them through
 * its own {@link PaymentRecorder}. Counters are the client's (striped adders already); histograms
 * are {@link ClassicHistogram}s of the agent's own unless native histograms are asked for.
 * Exemplars are off: without a tracer they only cost a sampler thread and a check per call.
 */
public final class PaymentMetrics {

    static final String REQUESTS = "payment_requests_total";
    static final String DURATION = "payment_duration_seconds";
    static final String AMOUNT = "payment_amount_usd";
    static final String ERRORS = "errors_total";
    static final double[] DURATION_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] AMOUNT_BUCKETS = {1, 10, 50, 100, 500, 1000, 5000};
    private static final String DURATION_HELP = "Payment processing duration";
    private static final String AMOUNT_HELP = "Payment amounts in USD";
    private static final String[] DURATION_LABELS = {"gateway", "payment_method"};
    private static final String[] AMOUNT_LABELS = {"currency", "user_tier"};

    final Counter requests;
    final Counter errors;
    final SeriesLimit limit;
    final int maxLabelLength;
    private final Histogram clientDuration;
    private final Histogram clientAmount;
    private final ClassicHistogram duration;
    private final ClassicHistogram amount;

    PaymentMetrics(PrometheusRegistry registry, boolean nativeHistograms, SeriesLimit limit, int maxLabelLength) {
        this.limit = limit;
        this.maxLabelLength = maxLabelLength;
        requests = Counter.builder()
                .name(REQUESTS)
                .help("Total number of payment requests")
                .labelNames("status", "gateway", "user_tier")
                .withoutExemplars()
                .register(registry);
        errors = Counter.builder()
                .name(ERRORS)
                .help("Total number of errors")
                .labelNames("service", "error_type", "severity")
                .withoutExemplars()
                .register(registry);
        if (nativeHistograms) {
            // Native buckets need the client's histogram; it costs more per observation.
            clientDuration = Histogram.builder().withoutExemplars().name(DURATION).help(DURATION_HELP)
                    .labelNames(DURATION_LABELS).classicUpperBounds(DURATION_BUCKETS).register(registry);
            clientAmount = Histogram.builder().withoutExemplars().name(AMOUNT).help(AMOUNT_HELP)
                    .labelNames(AMOUNT_LABELS).classicUpperBounds(AMOUNT_BUCKETS).register(registry);
            duration = null;
            amount = null;
        } else {
            duration = new ClassicHistogram(DURATION, DURATION_HELP, DURATION_BUCKETS, DURATION_LABELS);
            amount = new ClassicHistogram(AMOUNT, AMOUNT_HELP, AMOUNT_BUCKETS, AMOUNT_LABELS);
            registry.register(duration);
            registry.register(amount);
            clientDuration = null;
            clientAmount = null;
        }
    }

    Distribution duration(String gateway, String paymentMethod) {
        return duration != null
                ? duration.labelValues(gateway, paymentMethod)
                : clientDuration.labelValues(gateway, paymentMethod)::observe;
    }

    Distribution amount(String currency, String userTier) {
        return amount != null ? amount.labelValues(currency, userTier) : clientAmount.labelValues(currency, userTier)::observe;
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
