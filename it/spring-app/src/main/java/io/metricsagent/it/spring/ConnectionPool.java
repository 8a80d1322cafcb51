package io.metricsagent.it.spring;

import io.metricsagent.api.MeteredGauge;
import java.util.concurrent.atomic.AtomicInteger;

/** A pool of 10 connections whose gauges the agent reads: one it can proxy, one private it cannot. */
public class ConnectionPool {

    private static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    private final int size = 10;
    private final AtomicInteger active = new AtomicInteger();

    public ConnectionPool() {
        CONSTRUCTED.incrementAndGet();
    }

    public void acquire() {
        active.incrementAndGet();
    }

    @MeteredGauge(name = "spring_pool_active", help = "Connections in use", labels = {"pool=spring"})
    public int active() {
        return active.get();
    }

    @MeteredGauge(name = "spring_pool_idle", help = "Connections free", labels = {"pool=spring"})
    private int idle() {
        return size - active.get();
    }

    public String report() {
        return "active=" + active() + " idle=" + idle();
    }

    static int constructed() {
        return CONSTRUCTED.get();
    }
}
