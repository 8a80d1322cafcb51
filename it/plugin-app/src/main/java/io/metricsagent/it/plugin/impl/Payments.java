package io.metricsagent.it.plugin.impl;

import io.metricsagent.api.MeteredGauge;
import io.metricsagent.api.MeteredPayment;
import java.util.concurrent.atomic.AtomicInteger;

final class Payments {

    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static final AtomicInteger DECLINED = new AtomicInteger();

    @MeteredPayment(gateway = "plugin", service = "plugin")
    void pay(@MeteredPayment.Amount double amount, @MeteredPayment.UserTier Tier tier,
             @MeteredPayment.Method Channel channel) {
        HANDLED.incrementAndGet();
        if (channel == Channel.BANK) {
            DECLINED.incrementAndGet();
            throw new DeclinedException(tier + " via " + channel);
        }
    }

    @MeteredGauge(name = "plugin_payments_handled", help = "Payments the plugin handled")
    static int handled() {
        return HANDLED.get();
    }

    /** Not annotated: ConfigIT reads it as a gauge from the configuration file. */
    static int declined() {
        return DECLINED.get();
    }
}
