package io.metricsagent.bench;

import io.metricsagent.api.MeteredPayment;

/** The same body, annotated: the metrics agent weaves it when this class loads in the agent's fork. */
public final class AgentPayments {

    @MeteredPayment(gateway = "stripe", currency = "USD", service = "payment")
    public long charge(long orderNo,
                       @MeteredPayment.Amount double amount,
                       @MeteredPayment.UserTier String tier,
                       @MeteredPayment.Method String method) {
        return PaymentWork.process(orderNo, amount, tier, method);
    }
}
