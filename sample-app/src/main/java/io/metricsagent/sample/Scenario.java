package io.metricsagent.sample;

import java.util.List;

/** One of the SPEC's five payments the service cycles through, in order; what the fraud check reads. */
final class Scenario implements FraudCheck.Payment {

    static final List<Scenario> ALL = List.of(
            new Scenario("order_1", "user_123", 50.0, "standard", "credit_card"),
            new Scenario("order_2", "user_456", 150.0, "premium", "paypal"),
            new Scenario("order_3", "user_789", 1200.0, "standard", "credit_card"),
            new Scenario("order_4", "user_321", 25.0, "basic", "debit_card"),
            new Scenario("order_5", "user_654", 500.0, "premium", "apple_pay"));

    final String orderId;
    final String userId;
    final double amount;
    final String userTier;
    final String paymentMethod;
    /** The same payment as the legacy gateway takes it. */
    final LegacyGatewayClient.ChargeRequest legacyRequest;

    @Override
    public double amount() {
        return amount;
    }

    @Override
    public String getUserTier() {
        return userTier;
    }

    private Scenario(String orderId, String userId, double amount, String userTier, String paymentMethod) {
        this.orderId = orderId;
        this.userId = userId;
        this.amount = amount;
        this.userTier = userTier;
        this.paymentMethod = paymentMethod;
        legacyRequest = new LegacyGatewayClient.ChargeRequest(amount, new LegacyGatewayClient.Customer(userTier),
                paymentMethod);
    }
}
