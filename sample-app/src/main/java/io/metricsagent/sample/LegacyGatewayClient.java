package io.metricsagent.sample;

/**
 * A client of an old payment gateway that no one may change: no annotation, no metrics code.
 * {@code sample-app/metrics-agent.yml} meters it from configuration alone. It declines charges
 * above {@value #DECLINE_ABOVE_USD} USD, with a receipt rather than an exception.
 */
public final class LegacyGatewayClient {

    static final double DECLINE_ABOVE_USD = 1000;

    /** How the gateway answered. */
    public enum Status { APPROVED, DECLINED }

    /** Who pays. */
    public static final class Customer {
        private final String tier;

        Customer(String tier) {
            this.tier = tier;
        }

        public String getTier() {
            return tier;
        }
    }

    /** What is charged. */
    public static final class ChargeRequest {
        private final double amount;
        private final Customer customer;
        private final String method;

        ChargeRequest(double amount, Customer customer, String method) {
            this.amount = amount;
            this.customer = customer;
            this.method = method;
        }

        public double getAmount() {
            return amount;
        }

        public Customer getCustomer() {
            return customer;
        }

        public String getMethod() {
            return method;
        }
    }

    /** The gateway's answer. */
    public static final class Receipt {
        private final Status status;

        Receipt(Status status) {
            this.status = status;
        }

        public Status getStatus() {
            return status;
        }
    }

    private final String region;

    public LegacyGatewayClient(String region) {
        this.region = region;
    }

    public String getRegion() {
        return region;
    }

    public Receipt charge(ChargeRequest request) {
        return new Receipt(request.amount > DECLINE_ABOVE_USD ? Status.DECLINED : Status.APPROVED);
    }

    /** The same charge, made at most once per key; the key is ignored by this gateway. */
    public Receipt charge(ChargeRequest request, String idempotencyKey) {
        return new Receipt(request.amount > DECLINE_ABOVE_USD ? Status.DECLINED : Status.APPROVED);
    }
}
