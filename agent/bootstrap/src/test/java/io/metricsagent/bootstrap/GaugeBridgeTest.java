package io.metricsagent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry is static and process-wide: ids and errors() are compared relative to before. */
class GaugeBridgeTest {

    /** Keeps every instance it is handed. */
    private static final class Capturing implements GaugeBridge.Tracker {
        final List<Object> instances = new ArrayList<>();

        final List<Object> seen = new ArrayList<>();

        @Override
        public void track(Object instance) {
            instances.add(instance);
        }

        @Override
        public void seen(Object instance) {
            seen.add(instance);
        }
    }

    /** Throws what it is given at every instance. */
    private static final class Throwing implements GaugeBridge.Tracker {
        private final Throwable thrown;

        Throwing(Throwable thrown) {
            this.thrown = thrown;
        }

        @Override
        public void track(Object instance) {
            throwIt();
        }

        @Override
        public void seen(Object instance) {
            throwIt();
        }

        private void throwIt() {
            if (thrown instanceof Error) {
                throw (Error) thrown;
            }
            throw (RuntimeException) thrown;
        }
    }

    @Test
    void registerReturnsConsecutiveIds() {
        int first = GaugeBridge.register(new Capturing());
        int second = GaugeBridge.register(new Capturing());
        int third = GaugeBridge.register(new Capturing());
        assertTrue(first >= 0, "id " + first);
        assertEquals(first + 1, second);
        assertEquals(second + 1, third);
    }

    @Test
    void aRetiredIdIsTakenAgainAndTheTableLosesItsFreeTail() {
        int first = GaugeBridge.register(new Capturing());
        int second = GaugeBridge.register(new Capturing());
        int registered = GaugeBridge.registered();
        GaugeBridge.retire(first);
        assertEquals(registered - 1, GaugeBridge.registered());
        assertEquals(second + 1, GaugeBridge.slots());
        long errors = GaugeBridge.errors();
        GaugeBridge.track(first, new Object());
        assertEquals(errors + 1, GaugeBridge.errors(), "a retired id is counted, never passed on");

        Capturing next = new Capturing();
        assertEquals(first, GaugeBridge.register(next));
        Object instance = new Object();
        GaugeBridge.track(first, instance);
        assertEquals(List.of(instance), next.instances);

        GaugeBridge.retire(second);
        GaugeBridge.retire(first);
        assertEquals(first, GaugeBridge.slots());
        assertEquals(registered - 2, GaugeBridge.registered());
    }

    @Test
    void trackPassesExactlyTheInstance() {
        Capturing tracker = new Capturing();
        int id = GaugeBridge.register(tracker);
        Object instance = new Object();
        long errors = GaugeBridge.errors();

        GaugeBridge.track(id, instance);
        GaugeBridge.track(id, null);

        assertEquals(2, tracker.instances.size());
        assertSame(instance, tracker.instances.get(0));
        assertNull(tracker.instances.get(1));
        assertEquals(errors, GaugeBridge.errors(), "a tracker that returns is no error");
    }

    @Test
    void seenPassesTheInstanceToSeenNotTrack() {
        Capturing tracker = new Capturing();
        int id = GaugeBridge.register(tracker);
        Object instance = new Object();
        GaugeBridge.seen(id, instance);
        assertEquals(List.of(), tracker.instances);
        assertEquals(1, tracker.seen.size());
        assertSame(instance, tracker.seen.get(0));
    }

    @Test
    void trackGoesToTheTrackerOfItsIdOnly() {
        Capturing a = new Capturing();
        Capturing b = new Capturing();
        int idA = GaugeBridge.register(a);
        int idB = GaugeBridge.register(b);
        Object forB = new Object();
        GaugeBridge.track(idB, forB);
        assertEquals(0, a.instances.size());
        assertEquals(1, b.instances.size());
        assertSame(forB, b.instances.get(0));
        Object forA = new Object();
        GaugeBridge.track(idA, forA);
        assertEquals(1, a.instances.size());
        assertSame(forA, a.instances.get(0));
        assertEquals(1, b.instances.size());
    }

    @Test
    void throwingTrackerIsSwallowedAndCounted() {
        int id = GaugeBridge.register(new Throwing(new IllegalStateException("tracker broke")));
        long before = GaugeBridge.errors();
        assertDoesNotThrow(() -> GaugeBridge.track(id, new Object()));
        assertDoesNotThrow(() -> GaugeBridge.seen(id, new Object()));
        assertEquals(before + 2, GaugeBridge.errors());
    }

    @Test
    void trackerThrowingAnErrorIsSwallowedAndCounted() {
        int id = GaugeBridge.register(new Throwing(new OutOfMemoryError("simulated")));
        long before = GaugeBridge.errors();
        assertDoesNotThrow(() -> GaugeBridge.track(id, new Object()));
        assertDoesNotThrow(() -> GaugeBridge.track(id, new Object()));
        assertEquals(before + 2, GaugeBridge.errors());
    }

    @Test
    void otherTrackersStillWorkAfterOneThrows() {
        int broken = GaugeBridge.register(new Throwing(new RuntimeException()));
        Capturing fine = new Capturing();
        int ok = GaugeBridge.register(fine);
        long before = GaugeBridge.errors();
        GaugeBridge.track(broken, new Object());
        GaugeBridge.track(ok, "x");
        assertEquals(1, fine.instances.size());
        assertEquals(before + 1, GaugeBridge.errors());
    }

    @Test
    void unregisteredIdIsSwallowedAndCounted() {
        int last = GaugeBridge.register(new Capturing());
        long before = GaugeBridge.errors();
        assertDoesNotThrow(() -> GaugeBridge.track(last + 1_000, new Object()));
        assertEquals(before + 1, GaugeBridge.errors());
        assertDoesNotThrow(() -> GaugeBridge.track(-1, new Object()));
        assertEquals(before + 2, GaugeBridge.errors());
    }

    @Test
    void registriesAreSeparate() {
        long payments = MeterBridge.errors();
        long gauges = GaugeBridge.errors();
        GaugeBridge.track(Integer.MAX_VALUE, new Object());
        assertEquals(gauges + 1, GaugeBridge.errors());
        assertEquals(payments, MeterBridge.errors());
    }
}
