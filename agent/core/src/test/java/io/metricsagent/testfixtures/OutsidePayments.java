package io.metricsagent.testfixtures;

import io.metricsagent.api.MeteredPayment;

/** A @MeteredPayment class outside the agent's own packages, which the transformer must weave. */
public class OutsidePayments {

    @MeteredPayment(gateway = "g-outside", currency = "SEK", service = "svc-outside")
    public int pay(@MeteredPayment.Amount int amount) {
        return amount;
    }
}
