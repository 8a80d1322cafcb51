package io.metricsagent.agent.weaving;

import io.metricsagent.api.MeteredGauge;

/** Weaving fixture: a static gauge whose class is woven twice, as on retransformation. */
public class RewovenGauge {

    @MeteredGauge(name = "test_gauge_rewoven", help = "woven twice")
    static int five() {
        return 5;
    }
}
