package io.metricsagent.legacy;

/** Between the interface and the card gateway, so that the card gateway implements it only indirectly. */
public abstract class AbstractGateway implements Gateway {

    private final double limit;

    protected AbstractGateway(double limit) {
        this.limit = limit;
    }

    protected Receipt answer(double amount) {
        return new Receipt(amount > limit ? "DECLINED" : "APPROVED");
    }
}
