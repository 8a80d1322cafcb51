package io.metricsagent.bench;

/**
 * The same body with no annotation: it/bench/metrics-agent-bench.yml meters it, with a label from
 * a two-step getter path ({@code request.customer.tier}) and the outcome from the return value
 * ({@code DECLINED} counts as failed). Requests are built once per tuple, so a call allocates
 * nothing of its own.
 */
public final class ConfiguredPayments {

    /** How the charge went. */
    public enum Status { APPROVED, DECLINED }

    /** Who pays. */
    public static final class Customer {
        private final String tier;

        public Customer(String tier) {
            this.tier = tier;
        }

        public String getTier() {
            return tier;
        }
    }

    /** What is charged. */
    public static final class Request {
        private final double amount;
        private final Customer customer;
        private final String method;

        public Request(double amount, Customer customer, String method) {
            this.amount = amount;
            this.customer = customer;
            this.method = method;
        }

        double amount() {
            return amount;
        }

        public Customer getCustomer() {
            return customer;
        }

        public String getMethod() {
            return method;
        }
    }

    public Status charge(long orderNo, Request request) {
        long result = PaymentWork.process(orderNo, request.amount, request.customer.tier, request.method);
        return (result & 7) == 0 ? Status.DECLINED : Status.APPROVED;
    }
}
