package io.metricsagent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry is static and process-wide: ids and errors() are compared relative to before. */
class MeterBridgeTest {

    /** Keeps every call's arguments. */
    private static final class Capturing implements MeterBridge.Recorder {
        final List<Object[]> calls = new ArrayList<>();

        @Override
        public void record(long nanos, long endNanos, Throwable thrown, double number, Object v0, Object v1, Object v2,
                           Object v3, Object v4, Object v5) {
            calls.add(new Object[] {nanos, thrown, number, v0, v1, v2, v3, v4, v5});
        }
    }

    private static final MeterBridge.Recorder BROKEN = (nanos, endNanos, thrown, number, v0, v1, v2, v3, v4, v5) -> {
        throw new IllegalStateException("recorder broke");
    };

    @Test
    void registerReturnsConsecutiveIds() {
        int first = MeterBridge.register(new Capturing());
        assertTrue(first >= 0, "id " + first);
        assertEquals(first + 1, MeterBridge.register(new Capturing()));
    }

    @Test
    void aRetiredIdIsTakenAgainLowestFirst() {
        int a = MeterBridge.register(new Capturing());
        int b = MeterBridge.register(new Capturing(), 3);
        int c = MeterBridge.register(new Capturing());
        int registered = MeterBridge.registered();

        MeterBridge.retire(b, a);
        assertEquals(registered - 2, MeterBridge.registered());
        long errors = MeterBridge.errors();
        MeterBridge.record(a, System.nanoTime(), null, 1, null, null, null, null, null, null);
        assertEquals(errors + 1, MeterBridge.errors(), "a call to a retired id is counted, never passed on");

        Capturing next = new Capturing();
        assertEquals(a, MeterBridge.register(next), "the lowest free id is taken first");
        long start = MeterBridge.enter(a);
        assertTrue(start != MeterBridge.NESTED, "the new recorder has no group");
        MeterBridge.record(a, start, null, 1, null, null, null, null, null, null);
        assertEquals(1, next.calls.size());
        assertEquals(b, MeterBridge.register(new Capturing()));
        assertEquals(errors + 1, MeterBridge.errors());

        MeterBridge.retire(a, b, c);
        assertEquals(registered - 3, MeterBridge.registered());
        MeterBridge.retire(a, c, -1, Integer.MAX_VALUE);
        assertEquals(registered - 3, MeterBridge.registered(), "retiring an id twice, or one never given, changes nothing");
    }

    @Test
    void rowsWhoseIdsAreAllRetiredAreDropped() {
        int slots = MeterBridge.slots();
        int registered = MeterBridge.registered();
        int[] ids = new int[3 * 256];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = MeterBridge.register(new Capturing());
        }
        assertTrue(MeterBridge.slots() >= slots + 2 * 256, "slots " + MeterBridge.slots());
        MeterBridge.retire(ids);
        assertEquals(slots, MeterBridge.slots());
        assertEquals(registered, MeterBridge.registered());
    }

    @Test
    void recordPassesExactlyItsArgumentsToTheRecorderOfItsId() {
        Capturing other = new Capturing();
        MeterBridge.register(other);
        Capturing recorder = new Capturing();
        int id = MeterBridge.register(recorder);
        Throwable thrown = new IllegalStateException("declined");
        Object[] values = {new String("a"), new String("b"), new String("c"), new String("d"), new String("e"), new String("f")};
        long errors = MeterBridge.errors();

        long startNanos = System.nanoTime() - 1_000_000;
        MeterBridge.record(id, startNanos, thrown, 12.5, values[0], values[1], values[2], values[3], values[4], values[5]);
        long upperBound = System.nanoTime() - startNanos;

        assertEquals(0, other.calls.size());
        assertEquals(1, recorder.calls.size());
        Object[] call = recorder.calls.get(0);
        long nanos = (Long) call[0];
        assertTrue(nanos >= 1_000_000 && nanos <= upperBound, "nanos " + nanos);
        assertSame(thrown, call[1]);
        assertEquals(12.5, (Double) call[2]);
        for (int i = 0; i < values.length; i++) {
            assertSame(values[i], call[3 + i]);
        }
        assertEquals(errors, MeterBridge.errors(), "a recorder that returns is no error");
    }

    @Test
    void onlyTheOutermostCallOfANestingGroupOnAThreadIsRecordedAndEveryExitGivesItsLevelUp() throws Exception {
        Capturing outer = new Capturing();
        Capturing inner = new Capturing();
        Capturing other = new Capturing();
        int group = 40; // beyond a thread's first table of groups, which then grows
        int outerId = MeterBridge.register(outer, group);
        int innerId = MeterBridge.register(inner, group);
        int otherId = MeterBridge.register(other, group + 1);

        long outerStart = MeterBridge.enter(outerId);
        long innerStart = MeterBridge.enter(innerId);
        long otherStart = MeterBridge.enter(otherId);
        assertTrue(outerStart != MeterBridge.NESTED);
        assertEquals(MeterBridge.NESTED, innerStart);
        assertTrue(otherStart != MeterBridge.NESTED, "another group is entered on its own");
        long[] onAnotherThread = new long[1];
        Thread thread = new Thread(() -> onAnotherThread[0] = MeterBridge.enter(innerId));
        thread.start();
        thread.join();
        assertTrue(onAnotherThread[0] != MeterBridge.NESTED, "each thread has its own outermost call");

        MeterBridge.record(innerId, innerStart, null, 0, null, null, null, null, null, null);
        MeterBridge.record(otherId, otherStart, null, 0, null, null, null, null, null, null);
        MeterBridge.record(outerId, outerStart, new IllegalStateException("thrown"), 0, null, null, null, null, null, null);
        assertEquals(1, outer.calls.size());
        assertEquals(0, inner.calls.size());
        assertEquals(1, other.calls.size());

        long next = MeterBridge.enter(innerId);
        assertTrue(next != MeterBridge.NESTED, "the outermost call gave the group up");
        MeterBridge.record(innerId, next, null, 0, null, null, null, null, null, null);
        assertEquals(1, inner.calls.size());
    }

    @Test
    void aSuspendedOutermostCallIsRecordedOnceWhenItCompletesAndAnInnerOneNever() {
        Capturing outer = new Capturing();
        Capturing inner = new Capturing();
        int outerId = MeterBridge.register(outer, 42);
        int innerId = MeterBridge.register(inner, 42);
        Object suspended = new Object();
        Object outerKey = new Object();
        Object innerKey = new Object();

        long outerStart = MeterBridge.enter(outerId);
        long innerStart = MeterBridge.enter(innerId);
        MeterBridge.recordSuspendable(innerId, innerStart, null, 0, null, null, null, null, null, null, 0, suspended,
                suspended, innerKey, false);
        MeterBridge.recordSuspendable(outerId, outerStart, null, 0, "first", null, null, null, null, null, 0, suspended,
                suspended, outerKey, false);
        // Resumed later: the inner call first, then the outer one, each entered anew.
        long innerResumed = MeterBridge.enter(innerId);
        MeterBridge.recordSuspendable(innerId, innerResumed, null, 0, null, null, null, null, null, null, 0, "done",
                suspended, innerKey, true);
        long outerResumed = MeterBridge.enter(outerId);
        assertTrue(outerResumed != MeterBridge.NESTED, "the inner resumption gave the group up");
        MeterBridge.recordSuspendable(outerId, outerResumed, null, 0, "last", null, null, null, null, null, 0, "done",
                suspended, outerKey, true);

        assertEquals(0, inner.calls.size());
        assertEquals(1, outer.calls.size());
        assertEquals("first", outer.calls.get(0)[3], "values not from the return value are the first entry's");
        long again = MeterBridge.enter(outerId);
        assertTrue(again != MeterBridge.NESTED, "the completed call gave the group up");
        MeterBridge.record(outerId, again, null, 0, null, null, null, null, null, null);
    }

    @Test
    void aThrowingRecorderOrAnUnknownIdIsSwallowedAndCounted() {
        int broken = MeterBridge.register(BROKEN);
        Capturing fine = new Capturing();
        int ok = MeterBridge.register(fine);
        long before = MeterBridge.errors();
        assertDoesNotThrow(() -> MeterBridge.record(broken, System.nanoTime(), null, 1, null, null, null, null, null, null));
        MeterBridge.record(ok, System.nanoTime(), null, 2, null, null, null, null, null, null);
        assertDoesNotThrow(() -> MeterBridge.record(ok + 1_000, System.nanoTime(), null, 1, null, null, null, null, null, null));
        assertDoesNotThrow(() -> MeterBridge.record(-1, System.nanoTime(), null, 1, null, null, null, null, null, null));
        assertEquals(1, fine.calls.size());
        assertEquals(before + 3, MeterBridge.errors());
    }

    // Path fixtures: what woven code reads through MeterBridge.path.
    public static final class Customer {
        private final String tier;
        public final int visits;

        Customer(String tier, int visits) {
            this.tier = tier;
            this.visits = visits;
        }

        public String getTier() {
            if ("boom".equals(tier)) {
                throw new IllegalStateException("getter broke");
            }
            return tier;
        }
    }

    public static final class Order {
        private final Customer customer;

        Order(Customer customer) {
            this.customer = customer;
        }

        public Customer customer() {
            return customer;
        }
    }

    private static final String CUSTOMER = "m io/metricsagent/bootstrap/MeterBridgeTest$Order customer "
            + "()Lio/metricsagent/bootstrap/MeterBridgeTest$Customer;";

    private static MethodHandle path(Class<?> returned, String... steps) {
        return MeterBridge.path(MethodHandles.lookup(), "path", MethodType.methodType(returned, Object.class), steps)
                .dynamicInvoker();
    }

    @Test
    void aPathReadsGettersAndFieldsAndReadsNullWhereAStepMeetsNullOrFails() throws Throwable {
        MethodHandle tier = path(Object.class, CUSTOMER,
                "m io/metricsagent/bootstrap/MeterBridgeTest$Customer getTier ()Ljava/lang/String;");
        MethodHandle visits = path(double.class, CUSTOMER,
                "f io/metricsagent/bootstrap/MeterBridgeTest$Customer visits I");
        long before = MeterBridge.errors();

        assertEquals("gold", tier.invoke(new Order(new Customer("gold", 3))));
        assertEquals(3.0, (double) visits.invoke(new Order(new Customer("gold", 3))));
        assertNull(tier.invoke(new Order(null)));
        assertNull(tier.invoke((Object) null));
        assertEquals(Double.NaN, (double) visits.invoke(new Order(null)));
        assertEquals(before, MeterBridge.errors());

        assertNull(tier.invoke(new Order(new Customer("boom", 1))));
        assertEquals(before + 1, MeterBridge.errors(), "a getter that throws is counted");
    }

    @Test
    void aPathThatCannotBeLinkedReadsNullAndIsCounted() throws Throwable {
        long before = MeterBridge.errors();
        MethodHandle missing = path(Object.class, "m io/metricsagent/bootstrap/MeterBridgeTest$Order nothing ()Ljava/lang/String;");
        assertEquals(before + 1, MeterBridge.errors());
        assertNull(missing.invoke(new Order(null)));
        assertEquals(Double.NaN, (double) path(double.class, "m no/such/Type x ()I").invoke(new Order(null)));
    }

    @Test
    void aSuspendedCallIsRecordedOnceWhenItCompletesWithItsFirstEntrysStartAndValues() {
        Capturing recorder = new Capturing();
        int id = MeterBridge.register(recorder);
        Object suspended = new Object();
        Object key = new Object();
        int waiting = MeterBridge.suspendedCalls();
        long start = System.nanoTime() - 5_000_000;

        // First entry: suspends. Resumption: suspends again. Last resumption: returns "done".
        MeterBridge.recordSuspendable(id, start, null, 42, "tier", null, null, null, null, null, 0b10, suspended,
                suspended, key, false);
        assertEquals(waiting + 1, MeterBridge.suspendedCalls());
        MeterBridge.recordSuspendable(id, System.nanoTime(), null, 0, null, null, null, null, null, null, 0b10,
                suspended, suspended, key, true);
        assertEquals(0, recorder.calls.size());
        MeterBridge.recordSuspendable(id, System.nanoTime(), null, 0, null, "done", null, null, null, null, 0b10,
                "done", suspended, key, true);

        assertEquals(waiting, MeterBridge.suspendedCalls());
        assertEquals(1, recorder.calls.size());
        Object[] call = recorder.calls.get(0);
        assertTrue((Long) call[0] >= 5_000_000, "timed from the first entry: " + call[0]);
        assertEquals(42.0, (Double) call[2]);
        assertEquals("tier", call[3], "an argument of the first entry");
        assertEquals("done", call[4], "the return value of the last");
    }

    @Test
    void aSuspendableCallThatDoesNotSuspendOrThrowsAfterResumingIsRecordedAtOnce() {
        Capturing recorder = new Capturing();
        int id = MeterBridge.register(recorder);
        Object suspended = new Object();
        Object key = new Object();
        MeterBridge.recordSuspendable(id, System.nanoTime(), null, 1, "a", null, null, null, null, null, 0, "r",
                suspended, key, false);
        assertEquals(1, recorder.calls.size());

        Throwable thrown = new IllegalStateException();
        MeterBridge.recordSuspendable(id, System.nanoTime(), null, 2, "b", null, null, null, null, null, 0, suspended,
                suspended, key, false);
        MeterBridge.recordSuspendable(id, System.nanoTime(), thrown, 0, null, null, null, null, null, null, 0, null,
                suspended, key, true);
        assertEquals(2, recorder.calls.size());
        assertSame(thrown, recorder.calls.get(1)[1]);
        assertEquals("b", recorder.calls.get(1)[3]);

        // A resumption the agent never saw begin (it was attached meanwhile) records nothing.
        MeterBridge.recordSuspendable(id, System.nanoTime(), null, 0, null, null, null, null, null, null, 0, "r",
                suspended, new Object(), true);
        assertEquals(2, recorder.calls.size());
    }
}
