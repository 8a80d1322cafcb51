package io.metricsagent.agent.weaving;

import io.metricsagent.api.MeteredPayment;

/** Weaving fixture: an int amount after the tier, no payment method parameter. */
public class CentsPayments {

    @MeteredPayment(gateway = "g-int", currency = "JPY", service = "svc-int")
    public long charge(@MeteredPayment.UserTier String tier, @MeteredPayment.Amount int cents) {
        return cents * 2L;
    }
}
