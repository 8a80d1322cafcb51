package io.metricsagent.bench;

/**
 * The body every variant runs, unchanged: ~130 ns of deterministic work over the arguments (a fee
 * and a fraud score mixed from the order number, the amount and the labels' characters), and a
 * {@link PaymentDeclinedException} for every order number ending in 9, so one call in ten fails.
 */
public final class PaymentWork {

    /** Rounds of mixing; sets the body's length (about 130 ns on the 2-core AMD EPYC this was tuned on). */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 32);

    private PaymentWork() {}

    public static long process(long orderNo, double amount, String tier, String method) {
        long cents = Math.round(amount * 100);
        long h = orderNo * 0x9E3779B97F4A7C15L ^ cents;
        int tierLength = tier.length();
        int methodLength = method.length();
        for (int r = 0; r < ROUNDS; r++) {
            h += tier.charAt(r % tierLength) * 31L + method.charAt(r % methodLength);
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
        }
        if (orderNo % 10 == 9) {
            throw new PaymentDeclinedException(orderNo, tier);
        }
        long fee = cents * 29 / 1000 + 30;
        return h ^ fee;
    }
}
