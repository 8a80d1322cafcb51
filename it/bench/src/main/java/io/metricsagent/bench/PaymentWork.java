package io.metricsagent.bench;

import org.openjdk.jmh.infra.Blackhole;

/**
 * The body every variant runs, unchanged: a fixed amount of CPU work (JMH's
 * {@link Blackhole#consumeCPU}, which the JIT compiles the same way in every fork, unlike a
 * hand-written loop whose unrolling moved the baseline by ±50 % between forks), a result mixed
 * from the arguments, and a {@link PaymentDeclinedException} for every order number ending in 9,
 * so one call in ten fails.
 */
public final class PaymentWork {

    /** Units of {@link Blackhole#consumeCPU} work; sets the body's length (≈130 ns by default here). */
    static final long TOKENS = Long.getLong("bench.tokens", 40);

    private PaymentWork() {}

    public static long process(long orderNo, double amount, String tier, String method) {
        Blackhole.consumeCPU(TOKENS);
        long cents = Math.round(amount * 100);
        if (orderNo % 10 == 9) {
            throw new PaymentDeclinedException(orderNo, tier);
        }
        return cents * 29 / 1000 + 30 + orderNo + tier.length() + method.length();
    }
}
