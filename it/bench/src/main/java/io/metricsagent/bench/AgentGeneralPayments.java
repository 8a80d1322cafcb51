package io.metricsagent.bench;

import io.metricsagent.api.Metered;

/**
 * The same body under the general annotation: two labels from parameters and one from a getter
 * path into a third, as a user metering their own method would write it.
 */
public final class AgentGeneralPayments {

    /** What the getter path reads: a fixed object per tuple, so the call allocates nothing. */
    public static final class Customer {
        private final String region;

        public Customer(String region) {
            this.region = region;
        }

        public String getRegion() {
            return region;
        }
    }

    @Metered(name = "bench_payments", help = "Payments", labels = "gateway=stripe")
    public long charge(long orderNo,
                       double amount,
                       @Metered.Label("user_tier") String tier,
                       @Metered.Label("payment_method") String method,
                       @Metered.Label(value = "region", path = "region") Customer customer) {
        return PaymentWork.process(orderNo, amount, tier, method);
    }
}
