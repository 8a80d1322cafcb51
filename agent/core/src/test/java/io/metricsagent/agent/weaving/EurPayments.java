package io.metricsagent.agent.weaving;

import io.metricsagent.api.MeteredPayment;

/** Weaving fixture: a double amount and both per-call labels. */
public class EurPayments {

    @MeteredPayment(gateway = "g", currency = "EUR", service = "svc")
    public String pay(@MeteredPayment.Amount double amount,
                      @MeteredPayment.UserTier String tier,
                      @MeteredPayment.Method String method) {
        if (amount < 0) {
            throw new IllegalStateException("negative amount: " + amount);
        }
        return "paid " + amount + " by " + method + " for " + tier;
    }
}
