package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
    static final String CURRENCY = "USD";
    static final String SERVICE = "payment";
    /** The severity label's texts: above the threshold, and at or below it. */
    static final String HIGH = "high";
    static final String MEDIUM = "medium";

    /** How a configuration rule asks for the preset: {@code preset: payment}. */
    public static final String NAME = "payment";
    /**
     * The keys of a configuration rule that are the preset's, beside those of every rule: its
     * constant labels, and where in a call its values are read (as a rule's labels are named).
     */
    public static final Set<String> KEYS = Set.of("gateway", "currency", "service", "amount", "user_tier",
            "payment_method", "severity_above");

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
                        .label("severity", LabelSource.severity(highSeverityAbove, HIGH, MEDIUM))
                        .failuresOnly()
                        .build());
        return new MethodMeter(method, values, amount, 0, families);
    }

    /**
     * What a rule with {@code preset: payment} records, from its preset keys; what it leaves out
     * takes {@code @MeteredPayment}'s defaults.
     *
     * @param values the rule's values of {@link #KEYS}, as text
     * @throws IllegalArgumentException when {@code severity_above} is not a number
     */
    public static Recipe recipe(Map<String, String> values) {
        String above = values.get("severity_above");
        double severityAbove = HIGH_SEVERITY_ABOVE;
        if (above != null) {
            try {
                severityAbove = Double.parseDouble(above);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("severity_above '" + above + "' is not a number");
            }
        }
        return new Settings(values.getOrDefault("gateway", UNKNOWN), values.getOrDefault("currency", CURRENCY),
                values.getOrDefault("service", SERVICE), values.get("amount"), values.get("user_tier"),
                values.get("payment_method"), severityAbove);
    }

    /**
     * The severity an {@code errors:} entry gives what it matches, named by the severity label's text.
     *
     * @throws IllegalArgumentException when the text is neither of the label's
     */
    public static ErrorRule.Severity severity(String text) {
        if (text.equals(HIGH)) {
            return ErrorRule.Severity.ABOVE;
        }
        if (text.equals(MEDIUM)) {
            return ErrorRule.Severity.OTHERWISE;
        }
        throw new IllegalArgumentException("severity must be " + HIGH + " or " + MEDIUM + ", not '" + text + "'");
    }

    /** A rule's preset keys, read. */
    private static final class Settings extends Recipe {
        private final String gateway;
        private final String currency;
        private final String service;
        private final String amount;
        private final String tier;
        private final String paymentMethod;
        private final double severityAbove;

        Settings(String gateway, String currency, String service, String amount, String tier, String paymentMethod,
                 double severityAbove) {
            this.gateway = gateway;
            this.currency = currency;
            this.service = service;
            this.amount = amount;
            this.tier = tier;
            this.paymentMethod = paymentMethod;
            this.severityAbove = severityAbove;
        }

        @Override
        public String title() {
            return "preset " + NAME;
        }

        @Override
        MethodMeter describe(AnnotatedMethod method, FailedWhen failedWhen) {
            MethodMeter payment = PaymentPreset.describe(method.describe(), gateway, currency, service,
                    source(amount, method), source(tier, method), source(paymentMethod, method), severityAbove);
            if (failedWhen == null) {
                return payment;
            }
            List<ValueSource> values = new ArrayList<>(payment.values());
            FailureCondition failure = failedWhen.condition(method, values);
            return new MethodMeter(payment.method(), values, payment.number(), payment.numberWhenAbsent(),
                    payment.families(), failure);
        }

        private static ValueSource source(String spec, AnnotatedMethod method) {
            return spec == null ? null : RuleReader.source(spec, method);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Settings)) {
                return false;
            }
            Settings other = (Settings) o;
            return gateway.equals(other.gateway) && currency.equals(other.currency) && service.equals(other.service)
                    && Objects.equals(amount, other.amount) && Objects.equals(tier, other.tier)
                    && Objects.equals(paymentMethod, other.paymentMethod) && severityAbove == other.severityAbove;
        }

        @Override
        public int hashCode() {
            return Objects.hash(gateway, currency, service, amount, tier, paymentMethod, severityAbove);
        }
    }

    private static LabelSource valueOrUnknown(List<ValueSource> values, ValueSource source) {
        if (source == null) {
            return LabelSource.constant(UNKNOWN);
        }
        values.add(source);
        return LabelSource.value(values.size() - 1);
    }
}
