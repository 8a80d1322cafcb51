package io.metricsagent.agent.instrument;

import java.util.ArrayList;
import java.util.List;

/**
 * The payment families of the SPEC as a preset of the general engine: names, labels, buckets and
 * help texts are a contract with the dashboards and alerts that read them.
 *
 * <pre>
 * payment_requests_total{status, gateway, user_tier}           every call; status success or failed
 * payment_duration_seconds{gateway, payment_method}            every call, its wall time
 * payment_amount_usd{currency, user_tier}                      every call, its amount (0 when none)
 * errors_total{service, error_type, severity}                  every failed call; severity high above 1000
 * </pre>
 */
public final class PaymentPreset {

    public static final String REQUESTS = "payment_requests_total";
    public static final String DURATION = "payment_duration_seconds";
    public static final String AMOUNT = "payment_amount_usd";
    public static final String ERRORS = "errors_total";
    static final double[] DURATION_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] AMOUNT_BUCKETS = {1, 10, 50, 100, 500, 1000, 5000};
    static final double HIGH_SEVERITY_ABOVE = 1000;
    static final String UNKNOWN = "unknown";

    private PaymentPreset() {}

    /**
     * @param amount        where the amount comes from, or {@code null} (then 0)
     * @param tier          where {@code user_tier} comes from, or {@code null} (then {@code unknown})
     * @param paymentMethod where {@code payment_method} comes from, or {@code null} (then {@code unknown})
     */
    public static MethodMeter describe(String method, String gateway, String currency, String service,
                                       ValueSource amount, ValueSource tier, ValueSource paymentMethod) {
        return describe(method, gateway, currency, service, amount, tier, paymentMethod, HIGH_SEVERITY_ABOVE);
    }

    /** @param highSeverityAbove the amount above which a failure's severity is {@code high} */
    public static MethodMeter describe(String method, String gateway, String currency, String service,
                                       ValueSource amount, ValueSource tier, ValueSource paymentMethod,
                                       double highSeverityAbove) {
        List<ValueSource> values = new ArrayList<>();
        LabelSource userTier = valueOrUnknown(values, tier);
        LabelSource methodLabel = valueOrUnknown(values, paymentMethod);
        List<FamilySpec> families = List.of(
                FamilySpec.counter(REQUESTS, "Total number of payment requests")
                        .label("status", LabelSource.outcome("success", "failed"))
                        .label("gateway", LabelSource.constant(gateway))
                        .label("user_tier", userTier)
                        .build(),
                FamilySpec.histogram(DURATION, "Payment processing duration", DURATION_BUCKETS,
                                FamilySpec.Observed.DURATION_SECONDS)
                        .label("gateway", LabelSource.constant(gateway))
                        .label("payment_method", methodLabel)
                        .build(),
                FamilySpec.histogram(AMOUNT, "Payment amounts in USD", AMOUNT_BUCKETS, FamilySpec.Observed.NUMBER)
                        .label("currency", LabelSource.constant(currency))
                        .label("user_tier", userTier)
                        .build(),
                FamilySpec.counter(ERRORS, "Total number of errors")
                        .label("service", LabelSource.constant(service))
                        .label("error_type", LabelSource.exception(null))
                        .label("severity", LabelSource.severity(highSeverityAbove, "high", "medium"))
                        .failuresOnly()
                        .build());
        return new MethodMeter(method, values, amount, 0, families);
    }

    private static LabelSource valueOrUnknown(List<ValueSource> values, ValueSource source) {
        if (source == null) {
            return LabelSource.constant(UNKNOWN);
        }
        values.add(source);
        return LabelSource.value(values.size() - 1);
    }
}
