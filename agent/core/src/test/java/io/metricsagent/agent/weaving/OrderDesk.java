package io.metricsagent.agent.weaving;

import io.metricsagent.api.Metered;
import io.metricsagent.api.MeteredGauge;

/** Weaving fixture for the general annotation: paths, the return value, an observed number, refusals. */
public class OrderDesk {

    public static final class Customer {
        private final String tier;

        public Customer(String tier) {
            this.tier = tier;
        }

        public String getTier() {
            return tier;
        }
    }

    public static final class Order {
        private final Customer customer;
        public final double total;

        public Order(Customer customer, double total) {
            this.customer = customer;
            this.total = total;
        }

        public Customer getCustomer() {
            return customer;
        }
    }

    public enum Status { ACCEPTED, REJECTED }

    public static final class Receipt {
        private final Status status;

        public Receipt(Status status) {
            this.status = status;
        }

        public Status status() {
            return status;
        }
    }

    @Metered(name = "test_orders", help = "Orders placed", labels = "desk=d1", returnLabel = "status=status")
    public Receipt place(@Metered.Label("region") String region,
                         @Metered.Label(value = "tier", path = "customer.tier")
                         @Metered.Observe(name = "test_order_value", path = "total", buckets = {10, 100}) Order order) {
        if (order == null) {
            throw new IllegalArgumentException("no order");
        }
        return new Receipt(order.total > 50 ? Status.REJECTED : Status.ACCEPTED);
    }

    @Metered(name = "test_codes", outcome = false, exception = false, returnLabel = "doubled")
    public static long primitive(@Metered.Label("code") int code, @Metered.Observe(name = "test_code_value") long value) {
        return value * 2;
    }

    @Metered(name = "bad-name")
    public int badName() {
        return 1;
    }

    @Metered(name = "test_unresolved")
    public int unresolved(@Metered.Label(value = "x", path = "customer.nothing") Order order) {
        return 2;
    }

    @Metered(name = "payment_requests")
    public int clashesWithThePaymentCounter() {
        return 3;
    }

    @MeteredGauge(name = "payment_requests", help = "would make every scrape fail")
    public static int clashingGauge() {
        return 4;
    }
}
