package io.metricsagent.bench;

/** What one call in ten throws: a new instance each time, with its stack trace, in every variant. */
public final class PaymentDeclinedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long orderNo;

    public PaymentDeclinedException(long orderNo, String tier) {
        super("payment declined for a " + tier + " order");
        this.orderNo = orderNo;
    }

    public long orderNo() {
        return orderNo;
    }
}
