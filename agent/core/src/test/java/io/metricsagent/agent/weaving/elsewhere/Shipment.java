package io.metricsagent.agent.weaving.elsewhere;

/** A public class of another package than the woven classes', for what paths may read from there. */
public class Shipment extends Parcel {
    public String carrier;
    String route;

    public String getId() {
        return "s-1";
    }

    String getDepot() {
        return "north";
    }

    protected String getInsurer() {
        return "acme";
    }
}

/** Not public: its public getter is read through {@link Shipment} only. */
class Parcel {
    public int getWeight() {
        return 3;
    }
}
