package io.metricsagent.agent.weaving;

/** Weaving fixture: nothing to weave. */
public class PlainFixture {

    public int twice(int x) {
        return 2 * x;
    }
}
