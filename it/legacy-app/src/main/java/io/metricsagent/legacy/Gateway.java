package io.metricsagent.legacy;

/** What every gateway does; the configuration selects the implementations by this interface. */
public interface Gateway {

    /** Charges the customer; a charge over the gateway's limit is declined, not thrown. */
    Receipt charge(String customer, double amount);

    /** A gateway's answer. */
    final class Receipt {
        private final String status;

        Receipt(String status) {
            this.status = status;
        }

        public String getStatus() {
            return status;
        }
    }
}
