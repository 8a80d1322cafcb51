package io.metricsagent.checkfixtures;

/** Check fixture: the type a rule selects the implementations of, and what a charge carries. */
public interface Gateway {

    Receipt charge(Order order);

    final class Customer {
        private final String tier;

        public Customer(String tier) {
            this.tier = tier;
        }

        public String getTier() {
            return tier;
        }
    }

    final class Order {
        private final Customer customer;
        private final double amount;

        public Order(Customer customer, double amount) {
            this.customer = customer;
            this.amount = amount;
        }

        public Customer getCustomer() {
            return customer;
        }

        public double getAmount() {
            return amount;
        }
    }

    final class Receipt {
        private final String status;

        public Receipt(String status) {
            this.status = status;
        }

        public String getStatus() {
            return status;
        }
    }
}
