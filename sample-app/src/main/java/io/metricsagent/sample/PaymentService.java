package io.metricsagent.sample;

import io.metricsagent.api.MeteredPayment;
import java.util.Random;

/**
 * The payment service of the SPEC. Not one line of it is about metrics: the annotations say which
 * method is a payment and where its labels come from, and the agent does the rest.
 */
public final class PaymentService {

    private static final double BASE_LATENCY_SECONDS = 0.1;
    private static final double JITTER_SECONDS = 0.3;

    private final ConnectionPool pool;
    private final Random random;
    private final double speed;

    /**
     * @param speed latency multiplier; 0 processes without sleeping at all
     */
    public PaymentService(ConnectionPool pool, Random random, double speed) {
        this.pool = pool;
        this.random = random;
        this.speed = speed;
    }

    @MeteredPayment(gateway = "stripe", currency = "USD", service = "payment")
    public String process(String orderId,
                          String userId,
                          @MeteredPayment.Amount double amount,
                          @MeteredPayment.UserTier String userTier,
                          @MeteredPayment.Method String paymentMethod) throws PaymentException {
        boolean premium = "premium".equals(userTier);
        double factor = premium ? 0.8 : amount > 1000 ? 1.5 : 1.0;
        sleep(BASE_LATENCY_SECONDS * factor + random.nextDouble() * JITTER_SECONDS);

        if (random.nextDouble() < (premium ? 0.05 : 0.10)) {
            if (random.nextDouble() < 0.3) {
                throw new PaymentGatewayException("Gateway timeout");
            }
            throw new PaymentValidationException("Invalid payment method");
        }
        pool.onPaymentSucceeded();
        return "txn_" + orderId + "_" + userId;
    }

    private void sleep(double seconds) {
        long millis = Math.round(seconds * speed * 1000);
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
