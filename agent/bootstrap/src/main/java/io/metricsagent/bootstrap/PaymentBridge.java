package io.metricsagent.bootstrap;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one class advice woven into {@code @MeteredPayment} methods calls. It sits on the bootstrap
 * class path so that every class loader sees it, and depends on nothing but {@code java.base}:
 * the recorders behind it belong to the agent, loaded where the application cannot see them.
 *
 * <p>Each instrumented method gets an id when it is woven; the id is a constant in its advice, so
 * a call costs an array read and a virtual call here.
 */
public final class PaymentBridge {

    /** Records one call of one instrumented method. */
    public interface Recorder {
        /**
         * @param nanos     the call's wall time
         * @param amount    the amount when its parameter is a primitive number, else 0
         * @param amountRef the amount when its parameter is an object, else {@code null}
         * @param tier      the {@code user_tier} argument, or {@code null}
         * @param method    the {@code payment_method} argument, or {@code null}
         * @param thrown    what the call threw, or {@code null}
         */
        void record(long nanos, double amount, Object amountRef, Object tier, Object method, Throwable thrown);
    }

    private static final LongAdder ERRORS = new LongAdder();
    private static volatile Recorder[] recorders = new Recorder[0];

    private PaymentBridge() {}

    /** Called by woven advice on every exit of an instrumented method, normal or exceptional. */
    public static void record(int id, long startNanos, double amount, Object amountRef, Object tier, Object method,
                              Throwable thrown) {
        long nanos = System.nanoTime() - startNanos;
        try {
            recorders[id].record(nanos, amount, amountRef, tier, method, thrown);
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    /** Registers the recorder of a method about to be woven; returns the id its advice passes back. */
    public static synchronized int register(Recorder recorder) {
        Recorder[] grown = Arrays.copyOf(recorders, recorders.length + 1);
        grown[recorders.length] = recorder;
        recorders = grown;
        return recorders.length - 1;
    }

    /** How many methods have been woven. */
    public static int registered() {
        return recorders.length;
    }

    /** How many calls failed to record because a recorder threw; the application never sees these. */
    public static long errors() {
        return ERRORS.sum();
    }
}
