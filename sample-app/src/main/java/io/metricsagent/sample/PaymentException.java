package io.metricsagent.sample;

/** A payment that did not go through. */
public class PaymentException extends Exception {
    public PaymentException(String message) {
        super(message);
    }
}
