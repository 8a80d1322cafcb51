package io.metricsagent.it.plugin.impl;

import java.util.function.IntFunction;

/**
 * The plugin's entry: makes the payments it is asked for, the i-th with tier {@code i % 2} and
 * channel {@code i % 3}, amount {@code 10 * (i + 1)}; bank payments are declined.
 */
public final class Plugin implements IntFunction<String> {

    private final Pool pool = new Pool(3);

    @Override
    public String apply(int payments) {
        Payments gateway = new Payments();
        int paid = 0;
        int declined = 0;
        for (int i = 0; i < payments; i++) {
            try {
                gateway.pay(10.0 * (i + 1), Tier.values()[i % 2], Channel.values()[i % 3]);
                paid++;
            } catch (DeclinedException e) {
                declined++;
            }
        }
        return "plugin paid=" + paid + " declined=" + declined + " active=" + pool.active() + " handled=" + Payments.handled();
    }
}
