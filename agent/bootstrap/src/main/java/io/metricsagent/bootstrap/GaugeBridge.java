package io.metricsagent.bootstrap;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands the agent each new instance of a class that has {@code @MeteredGauge} instance methods,
 * so that the gauges can be read from live objects at scrape time. Called by advice woven into
 * those classes' constructors, and, in a class woven after it loaded, into its instance methods;
 * on the bootstrap class path for the same reason as {@link MeterBridge}.
 */
public final class GaugeBridge {

    /** Keeps instances of one class, weakly. */
    public interface Tracker {
        void track(Object instance);

        /** An instance calling one of its methods, which may have been made before the class was woven. */
        void seen(Object instance);
    }

    private static final LongAdder ERRORS = new LongAdder();
    private static volatile Tracker[] trackers = new Tracker[0];
    /** Guarded by the class's lock, as {@link #register} and {@link #retire} are. */
    private static final FreeSlots FREE = new FreeSlots();

    private GaugeBridge() {}

    /** Called by woven advice when a constructor of the class with id {@code classId} returns. */
    public static void track(int classId, Object instance) {
        try {
            trackers[classId].track(instance);
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    /**
     * Called by woven advice as an instance method of the class with id {@code classId} starts,
     * in a class woven after it loaded (an attach, a reload): its constructors never handed over
     * the instances made before.
     */
    public static void seen(int classId, Object instance) {
        try {
            trackers[classId].seen(instance);
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    /** Registers the tracker of a class about to be woven; returns the id its advice passes back: the lowest retired one, else a new one. */
    public static synchronized int register(Tracker tracker) {
        int id = FREE.take(trackers.length);
        Tracker[] grown = Arrays.copyOf(trackers, Math.max(trackers.length, id + 1));
        grown[id] = tracker;
        trackers = grown;
        return id;
    }

    /** Gives up the id of a tracker whose class's loader was collected, for a later registration to take. */
    public static synchronized void retire(int id) {
        if (id < 0 || id >= trackers.length || trackers[id] == null) {
            return;
        }
        Tracker[] kept = trackers.clone();
        kept[id] = null;
        FREE.free(id);
        trackers = Arrays.copyOf(kept, FREE.trim(kept.length));
    }

    /** How many trackers are registered and not retired. */
    public static synchronized int registered() {
        return trackers.length - FREE.count();
    }

    /** How many ids the table has room for now: those registered, and retired ones below the last registered. */
    public static int slots() {
        return trackers.length;
    }

    /** How many instances failed to be tracked; the application never sees these. */
    public static long errors() {
        return ERRORS.sum();
    }
}
