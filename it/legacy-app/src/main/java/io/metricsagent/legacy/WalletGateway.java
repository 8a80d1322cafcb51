package io.metricsagent.legacy;

/** Loaded only when the first wallet charge is asked for: long after the agent started. */
public class WalletGateway implements Gateway {

    @Override
    public Receipt charge(String customer, double amount) {
        return new Receipt(amount > 200 ? "DECLINED" : "APPROVED");
    }
}
