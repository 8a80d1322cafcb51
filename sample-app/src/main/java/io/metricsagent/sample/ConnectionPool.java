package io.metricsagent.sample;

import io.metricsagent.api.MeteredGauge;
import java.util.concurrent.atomic.AtomicInteger;

/** The payment database's connection pool, as the SPEC simulates it: it only ever fills up. */
public final class ConnectionPool {

    static final int INITIAL_ACTIVE = 15;
    static final int MAX_SIZE = 20;

    private final AtomicInteger active = new AtomicInteger(INITIAL_ACTIVE);

    /** A successful payment keeps one more connection busy, up to the pool's size. */
    void onPaymentSucceeded() {
        active.accumulateAndGet(1, (current, one) -> Math.min(MAX_SIZE, current + one));
    }

    @MeteredGauge(name = "database_connections_active",
                  help = "Number of active database connections",
                  labels = {"database=payment_db", "pool=main_pool"})
    public int active() {
        return active.get();
    }

    @MeteredGauge(name = "database_connections_max",
                  help = "Maximum number of database connections",
                  labels = {"database=payment_db", "pool=main_pool"})
    public int maxSize() {
        return MAX_SIZE;
    }
}
