package io.metricsagent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry is static and process-wide: ids and errors() are compared relative to before. */
class PaymentBridgeTest {

    /** Keeps every call's arguments. */
    private static final class Capturing implements PaymentBridge.Recorder {
        final List<Object[]> calls = new ArrayList<>();

        @Override
        public void record(long nanos, double amount, Object amountRef, Object tier, Object method, Throwable thrown) {
            calls.add(new Object[] {nanos, amount, amountRef, tier, method, thrown});
        }
    }

    @Test
    void registerReturnsConsecutiveIds() {
        int first = PaymentBridge.register(new Capturing());
        int second = PaymentBridge.register(new Capturing());
        int third = PaymentBridge.register(new Capturing());
        assertTrue(first >= 0, "id " + first);
        assertEquals(first + 1, second);
        assertEquals(second + 1, third);
    }

    @Test
    void recordPassesExactlyItsArguments() {
        Capturing recorder = new Capturing();
        int id = PaymentBridge.register(recorder);
        BigDecimal amountRef = new BigDecimal("12.50");
        String tier = new String("premium");
        String method = new String("paypal");
        Throwable thrown = new IllegalStateException("declined");
        long errors = PaymentBridge.errors();

        long startNanos = System.nanoTime() - 1_000_000;
        PaymentBridge.record(id, startNanos, 12.5, amountRef, tier, method, thrown);
        long upperBound = System.nanoTime() - startNanos;

        assertEquals(1, recorder.calls.size());
        Object[] call = recorder.calls.get(0);
        long nanos = (Long) call[0];
        assertTrue(nanos >= 1_000_000, "nanos " + nanos);
        assertTrue(nanos <= upperBound, "nanos " + nanos + " > " + upperBound);
        assertEquals(12.5, (Double) call[1]);
        assertSame(amountRef, call[2]);
        assertSame(tier, call[3]);
        assertSame(method, call[4]);
        assertSame(thrown, call[5]);
        assertEquals(errors, PaymentBridge.errors(), "a recorder that returns is no error");
    }

    @Test
    void recordPassesNulls() {
        Capturing recorder = new Capturing();
        int id = PaymentBridge.register(recorder);
        PaymentBridge.record(id, System.nanoTime(), 0.0, null, null, null, null);
        Object[] call = recorder.calls.get(0);
        assertTrue((Long) call[0] >= 0, "nanos " + call[0]);
        assertEquals(0.0, (Double) call[1]);
        assertNull(call[2]);
        assertNull(call[3]);
        assertNull(call[4]);
        assertNull(call[5]);
    }

    @Test
    void recordGoesToTheRecorderOfItsIdOnly() {
        Capturing a = new Capturing();
        Capturing b = new Capturing();
        int idA = PaymentBridge.register(a);
        int idB = PaymentBridge.register(b);
        PaymentBridge.record(idB, System.nanoTime(), 1.0, null, "b", null, null);
        PaymentBridge.record(idB, System.nanoTime(), 2.0, null, "b", null, null);
        PaymentBridge.record(idA, System.nanoTime(), 3.0, null, "a", null, null);
        assertEquals(1, a.calls.size());
        assertEquals(3.0, (Double) a.calls.get(0)[1]);
        assertEquals(2, b.calls.size());
        assertEquals(1.0, (Double) b.calls.get(0)[1]);
        assertEquals(2.0, (Double) b.calls.get(1)[1]);
    }

    @Test
    void throwingRecorderIsSwallowedAndCounted() {
        int id = PaymentBridge.register(
                (nanos, amount, amountRef, tier, method, thrown) -> {
                    throw new IllegalStateException("recorder broke");
                });
        long before = PaymentBridge.errors();
        assertDoesNotThrow(() -> PaymentBridge.record(id, System.nanoTime(), 1.0, null, null, null, null));
        assertEquals(before + 1, PaymentBridge.errors());
    }

    @Test
    void recorderThrowingAnErrorIsSwallowedAndCounted() {
        int id = PaymentBridge.register(
                (nanos, amount, amountRef, tier, method, thrown) -> {
                    throw new StackOverflowError("deep");
                });
        long before = PaymentBridge.errors();
        assertDoesNotThrow(() -> PaymentBridge.record(id, System.nanoTime(), 1.0, null, null, null, null));
        assertDoesNotThrow(() -> PaymentBridge.record(id, System.nanoTime(), 1.0, null, null, null, null));
        assertEquals(before + 2, PaymentBridge.errors());
    }

    @Test
    void otherRecordersStillWorkAfterOneThrows() {
        int broken = PaymentBridge.register(
                (nanos, amount, amountRef, tier, method, thrown) -> {
                    throw new RuntimeException();
                });
        Capturing fine = new Capturing();
        int ok = PaymentBridge.register(fine);
        long before = PaymentBridge.errors();
        PaymentBridge.record(broken, System.nanoTime(), 1.0, null, null, null, null);
        PaymentBridge.record(ok, System.nanoTime(), 2.0, null, null, null, null);
        assertEquals(1, fine.calls.size());
        assertEquals(before + 1, PaymentBridge.errors());
    }

    @Test
    void unregisteredIdIsSwallowedAndCounted() {
        int last = PaymentBridge.register(new Capturing());
        long before = PaymentBridge.errors();
        assertDoesNotThrow(() -> PaymentBridge.record(last + 1_000, System.nanoTime(), 1.0, null, null, null, null));
        assertEquals(before + 1, PaymentBridge.errors());
        assertDoesNotThrow(() -> PaymentBridge.record(-1, System.nanoTime(), 1.0, null, null, null, null));
        assertEquals(before + 2, PaymentBridge.errors());
    }
}
