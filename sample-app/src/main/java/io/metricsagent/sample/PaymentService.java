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
    /** The SPEC's share of failed payments. */
    static final double FAILURE_RATE = 0.10;
    /** The SPEC's share of failed payments of premium users. */
    static final double PREMIUM_FAILURE_RATE = 0.05;

    private final ConnectionPool pool;
    private final Random random;
    private final double speed;
    private final double failureRate;
    private final double premiumFailureRate;

    /**
     * A service that fails as the SPEC's does.
     *
     * @param speed latency multiplier; 0 processes without sleeping at all
     */
    public PaymentService(ConnectionPool pool, Random random, double speed) {
        this(pool, random, speed, FAILURE_RATE, PREMIUM_FAILURE_RATE);
    }

    /**
     * A service that fails more or less often than the SPEC's, to show what alerts see.
     *
     * @param failureRate share of failed payments, 0 to 1
     * @param premiumFailureRate the same for premium users
     */
    public PaymentService(ConnectionPool pool, Random random, double speed, double failureRate,
                          double premiumFailureRate) {
        this.pool = pool;
        this.random = random;
        this.speed = speed;
        this.failureRate = failureRate;
        this.premiumFailureRate = premiumFailureRate;
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

        if (random.nextDouble() < (premium ? premiumFailureRate : failureRate)) {
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
