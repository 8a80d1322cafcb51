package io.metricsagent.agent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The numbers of one series that a single thread, its owner (the thread that created it), adds
 * to with plain stores: no lock prefix, so a call recorded by the owner costs a load and a store
 * per number instead of an atomic add. Other threads add to the series' striped adders instead,
 * and a scrape sums both. Only the owner writes here, so no add is lost; stores and loads are
 * opaque, so a scrape reads whole, recent values. The slots sit between a cache line of padding
 * on either side, so that the owner's stores do not invalidate the line other threads read the
 * series' fields or its adders from.
 */
final class OwnedSlots {

    /** One 64-byte cache line of longs. */
    private static final int PAD = 8;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final CellWriter owner;
    private final long[] slots;

    /** {@code size} slots owned by the calling thread, each 0 (a double's bits 0 are 0.0). */
    OwnedSlots(int size) {
        owner = CellWriter.current();
        slots = new long[size + 2 * PAD];
    }

    boolean ownedBy(CellWriter writer) {
        return writer == owner;
    }

    /** Only for the owner. */
    void increment(int slot) {
        int i = PAD + slot;
        LONGS.setOpaque(slots, i, slots[i] + 1);
    }

    /** Only for the owner: adds to a slot holding a double's bits. */
    void add(int slot, double value) {
        int i = PAD + slot;
        LONGS.setOpaque(slots, i, Double.doubleToRawLongBits(Double.longBitsToDouble(slots[i]) + value));
    }

    long get(int slot) {
        return (long) LONGS.getOpaque(slots, PAD + slot);
    }

    double getDouble(int slot) {
        return Double.longBitsToDouble((long) LONGS.getOpaque(slots, PAD + slot));
    }
}
