package io.metricsagent.agent.metrics;

/** A plugin's class for {@link GaugeSourcesTest}: defined by a loader of its own, which is then dropped. */
public class UnloadableGauges {

    private final String name = "plugin";

    public int active() {
        return 3;
    }

    static int jobs() {
        return 2;
    }
}
