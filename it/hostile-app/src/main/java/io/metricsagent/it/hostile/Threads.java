package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;
import java.util.concurrent.atomic.AtomicLong;

/** The method 8 threads call 10,000 times each. */
final class Threads {

    static final AtomicLong TOTAL = new AtomicLong();

    private Threads() {}

    @MeteredPayment(gateway = "case_threads", currency = "case_threads", service = "case_threads")
    static long work(@MeteredPayment.Amount int amount, @MeteredPayment.UserTier String tier) {
        return TOTAL.addAndGet(amount);
    }
}
