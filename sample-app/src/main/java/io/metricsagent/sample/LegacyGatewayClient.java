package io.metricsagent.sample;

import java.util.concurrent.atomic.DoubleAdder;

/**
 * A client of an old payment gateway that no one may change: no annotation, no metrics code.
 * {@code sample-app/metrics-agent.yml} meters it from configuration alone, and reads what it has
 * charged as a gauge. It declines charges above {@value #DECLINE_ABOVE_USD} USD, with a receipt
 * rather than an exception.
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
    private final DoubleAdder chargedUsd = new DoubleAdder();

    public LegacyGatewayClient(String region) {
        this.region = region;
    }

    public String getRegion() {
        return region;
    }

    /** What this client has charged so far, in USD: the approved charges' amounts. */
    public double chargedUsd() {
        return chargedUsd.sum();
    }

    public Receipt charge(ChargeRequest request) {
        return answer(request);
    }

    /** The same charge, made at most once per key; the key is ignored by this gateway. */
    public Receipt charge(ChargeRequest request, String idempotencyKey) {
        return answer(request);
    }

    private Receipt answer(ChargeRequest request) {
        if (request.amount > DECLINE_ABOVE_USD) {
            return new Receipt(Status.DECLINED);
        }
        chargedUsd.add(request.amount);
        return new Receipt(Status.APPROVED);
    }
}
