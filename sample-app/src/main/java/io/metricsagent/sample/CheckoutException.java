package io.metricsagent.sample;

/** A checkout that did not go through; its cause says why. */
public class CheckoutException extends RuntimeException {
    public CheckoutException(String message, PaymentException cause) {
        super(message, cause);
    }
}
