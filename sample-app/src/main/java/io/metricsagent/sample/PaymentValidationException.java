package io.metricsagent.sample;

/** The gateway refused the payment's data. */
public class PaymentValidationException extends PaymentException {
    public PaymentValidationException(String message) {
        super(message);
    }
}
