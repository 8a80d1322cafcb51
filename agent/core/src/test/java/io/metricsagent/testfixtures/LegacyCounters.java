package io.metricsagent.testfixtures;

import java.util.concurrent.atomic.AtomicLong;

/** Weaving fixture: no annotation; the configuration file's gauges read it. */
public class LegacyCounters {

    private static final AtomicLong STARTED = new AtomicLong(2);

    private final int queued;

    public LegacyCounters(int queued) {
        this.queued = queued;
    }

    int queued() {
        return queued;
    }

    static AtomicLong started() {
        return STARTED;
    }

    public Integer boxed() {
        return queued * 10;
    }

    String region() {
        return "eu";
    }

    void reset() {
    }

    int charge(int amount) {
        return amount;
    }
}
