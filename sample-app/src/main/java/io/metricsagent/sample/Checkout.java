package io.metricsagent.sample;

/**
 * The shop's checkout in front of the payment service. Like many layered applications, it wraps
 * what the layer below refused in an unchecked exception of its own, so that what went wrong is
 * the cause of what it throws. No annotation and no metrics code: a configuration file's
 * {@code errors:} can still tell a gateway timeout from a validation error, through the cause.
 */
public final class Checkout {

    private final PaymentService payments;

    public Checkout(PaymentService payments) {
        this.payments = payments;
    }

    public String pay(String orderId, String userId, double amount, String userTier, String paymentMethod) {
        try {
            return payments.process(orderId, userId, amount, userTier, paymentMethod);
        } catch (PaymentException e) {
            throw new CheckoutException("checkout of " + orderId + " failed", e);
        }
    }
}
