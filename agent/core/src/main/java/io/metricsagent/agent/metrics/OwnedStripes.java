package io.metricsagent.agent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The numbers of one series, striped by thread without a lock prefix: each of the first
 * {@value #OWNERS} threads to record into the series claims a stripe of its own, which only it
 * writes, so its calls cost a load and a plain (opaque) store per number instead of an atomic
 * add. Later threads get no stripe ({@link #of} answers {@code null}) and add to the series'
 * striped adders instead; a scrape sums the stripes and the adders. A stripe is kept for the
 * life of the series, its owner's counts in it. Stores and loads are opaque, so a scrape reads
 * whole, recent values; no add is lost, as each stripe has one writer. A stripe's numbers sit
 * between a cache line of padding on either side, so that its owner's stores do not invalidate
 * the lines other threads read the series from.
 */
final class OwnedStripes {

    /** Enough for the threads that usually share a series' calls; beyond, the adders take them. */
    static final int OWNERS = 4;
    /** One 64-byte cache line of longs. */
    private static final int PAD = 8;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(Stripe[].class);

    private final int size;
    /** Claimed in order, never given up. */
    private final Stripe[] stripes = new Stripe[OWNERS];

    /** Stripes of {@code size} numbers, each 0 (a double's bits 0 are 0.0). */
    OwnedStripes(int size) {
        this.size = size;
    }

    /** The stripe {@code writer} owns, claimed on its first call; {@code null} when every stripe is another's. */
    Stripe of(CellWriter writer) {
        for (int i = 0; i < OWNERS; i++) {
            Stripe stripe = (Stripe) STRIPES.getAcquire(stripes, i);
            if (stripe == null) {
                return claim(i, writer);
            }
            if (stripe.owner == writer) {
                return stripe;
            }
        }
        return null;
    }

    // Apart from of(), so that the compiled cells stay small enough for the JIT to inline into a
    // recorder: a thread claims once per series.
    private Stripe claim(int from, CellWriter writer) {
        Stripe claimed = new Stripe(writer, size);
        for (int i = from; i < OWNERS; i++) {
            Stripe stripe = (Stripe) STRIPES.compareAndExchange(stripes, i, null, claimed);
            if (stripe == null) {
                return claimed;
            }
            if (stripe.owner == writer) {
                return stripe;
            }
        }
        return null;
    }

    /** The sum of one number over the stripes. */
    long get(int slot) {
        long sum = 0;
        for (int i = 0; i < OWNERS; i++) {
            Stripe stripe = (Stripe) STRIPES.getAcquire(stripes, i);
            if (stripe != null) {
                sum += (long) LONGS.getOpaque(stripe.values, PAD + slot);
            }
        }
        return sum;
    }

    /** The sum of one number held as a double's bits over the stripes, in the order they were claimed. */
    double getDouble(int slot) {
        double sum = 0;
        for (int i = 0; i < OWNERS; i++) {
            Stripe stripe = (Stripe) STRIPES.getAcquire(stripes, i);
            if (stripe != null) {
                sum += Double.longBitsToDouble((long) LONGS.getOpaque(stripe.values, PAD + slot));
            }
        }
        return sum;
    }

    /** One thread's numbers of a series; only that thread calls its methods. */
    static final class Stripe {
        private final CellWriter owner;
        private final long[] values;

        private Stripe(CellWriter owner, int size) {
            this.owner = owner;
            values = new long[size + 2 * PAD];
        }

        void increment(int slot) {
            int i = PAD + slot;
            LONGS.setOpaque(values, i, values[i] + 1);
        }

        /** Adds to a number held as a double's bits. */
        void add(int slot, double value) {
            int i = PAD + slot;
            LONGS.setOpaque(values, i, Double.doubleToRawLongBits(Double.longBitsToDouble(values[i]) + value));
        }
    }
}
