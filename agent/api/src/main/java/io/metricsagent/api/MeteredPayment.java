package io.metricsagent.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose every call the metrics agent records as one payment: it counts
 * {@code payment_requests_total}, observes {@code payment_duration_seconds} and
 * {@code payment_amount_usd}, and on an exception counts {@code errors_total}. Without the agent
 * the annotation does nothing.
 *
 * <p>Constant labels come from this annotation; per-call labels from parameters marked with the
 * nested annotations:
 *
 * <pre>{@code
 * @MeteredPayment(gateway = "stripe", currency = "USD")
 * Receipt charge(String orderId,
 *                @MeteredPayment.Amount double amount,
 *                @MeteredPayment.UserTier String tier,
 *                @MeteredPayment.Method String paymentMethod) { ... }
 * }</pre>
 *
 * A label whose parameter is not marked, or whose argument is {@code null}, takes the value
 * {@code unknown}; an unmarked amount is observed as 0. The agent reads all of this once, when the
 * class is loaded, never per call.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MeteredPayment {

    /** The {@code gateway} label of {@code payment_requests_total} and {@code payment_duration_seconds}. */
    String gateway() default "unknown";

    /** The {@code currency} label of {@code payment_amount_usd}. */
    String currency() default "USD";

    /** The {@code service} label of {@code errors_total}. */
    String service() default "payment";

    /**
     * The parameter holding the payment's amount: any primitive number or {@link Number}. It is
     * observed in {@code payment_amount_usd} and decides an error's {@code severity}
     * ({@code high} above 1000).
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Amount {}

    /** The parameter whose {@code toString()} is the {@code user_tier} label. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface UserTier {}

    /** The parameter whose {@code toString()} is the {@code payment_method} label. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Method {}
}
