package io.metricsagent.checkfixtures;

/** Check fixture: between the interface and the card gateway, which implements it only through this. */
public abstract class BaseGateway implements Gateway {

    protected Receipt approve() {
        return new Receipt("APPROVED");
    }
}
