package io.metricsagent.bootstrap;

import java.util.BitSet;

/**
 * The free slots of a bridge's table: those retired because the code that passes their ids can
 * no longer run. The lowest is taken first, so that live slots gather at the front and the
 * table's tail empties and can be cut. Not thread-safe: its bridge holds its own lock.
 */
final class FreeSlots {

    private BitSet free = new BitSet();

    /** The lowest free slot, now taken, or {@code length} (a slot past the table's end) when none is free. */
    int take(int length) {
        int slot = free.nextSetBit(0);
        if (slot < 0) {
            return length;
        }
        free.clear(slot);
        return slot;
    }

    void free(int slot) {
        free.set(slot);
    }

    /** The length a table of {@code length} slots keeps once its free tail is cut; those slots are forgotten. */
    int trim(int length) {
        int trimmed = free.previousClearBit(length - 1) + 1;
        if (trimmed < length) {
            free.clear(trimmed, length);
            // A copy is as long as its highest set bit needs: the bits of a cut tail are given back.
            free = (BitSet) free.clone();
        }
        return trimmed;
    }

    int count() {
        return free.cardinality();
    }
}
