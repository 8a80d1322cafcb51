package io.metricsagent.agent.weaving;

import io.metricsagent.api.MeteredGauge;

/** Weaving fixture: instance gauges, one labelled by the instance, with a chaining constructor, and a static gauge. */
public class GaugedPool {

    private final int value;

    public GaugedPool() {
        this(1);
    }

    public GaugedPool(int value) {
        this.value = value;
    }

    @MeteredGauge(name = "test_gauge_x", help = "h", labels = {"k=v"})
    int value() {
        return value;
    }

    @MeteredGauge(name = "test_gauge_by_parity", help = "h", labels = {"k=v", "parity=this.parity"})
    int valueByParity() {
        return value;
    }

    String parity() {
        return value % 2 == 0 ? "even" : "odd";
    }

    @MeteredGauge(name = "test_gauge_static_x", help = "static h")
    static boolean healthy() {
        return true;
    }
}
