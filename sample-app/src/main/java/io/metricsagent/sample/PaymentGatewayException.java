package io.metricsagent.sample;

/** The gateway did not answer in time. */
public class PaymentGatewayException extends PaymentException {
    public PaymentGatewayException(String message) {
        super(message);
    }
}
