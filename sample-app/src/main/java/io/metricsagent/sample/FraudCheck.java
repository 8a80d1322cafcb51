package io.metricsagent.sample;

import io.metricsagent.api.Metered;

/**
 * Screens each payment before it is charged: payments above the review threshold are held for a
 * person to look at. Deterministic, so that the demo's numbers can be checked against the
 * scenarios. Metered with the general annotation: a label from a getter path into the argument,
 * one from the return value, and a histogram of a number read from the argument.
 */
public final class FraudCheck {

    static final double REVIEW_ABOVE_USD = 1000;

    /** What the screening decided. */
    public enum Verdict {
        PASS, REVIEW;

        @Override
        public String toString() {
            return this == PASS ? "pass" : "review";
        }
    }

    @Metered(name = "fraud_checks", help = "Fraud screening of payments", labels = "service=payment",
             returnLabel = "verdict")
    public Verdict screen(@Metered.Label(value = "user_tier", path = "userTier")
                          @Metered.Observe(name = "fraud_check_amount_usd", help = "Amounts screened for fraud in USD",
                                           path = "amount", buckets = {100, 1000, 10000})
                          Payment payment) {
        return payment.amount() > REVIEW_ABOVE_USD ? Verdict.REVIEW : Verdict.PASS;
    }

    /** What the check reads of a payment. */
    public interface Payment {
        double amount();

        String getUserTier();
    }
}
