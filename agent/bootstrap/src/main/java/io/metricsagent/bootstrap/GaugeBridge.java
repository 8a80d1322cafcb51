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

    /** Registers the tracker of a class about to be woven; returns the id its advice passes back. */
    public static synchronized int register(Tracker tracker) {
        Tracker[] grown = Arrays.copyOf(trackers, trackers.length + 1);
        grown[trackers.length] = tracker;
        trackers = grown;
        return trackers.length - 1;
    }

    /** How many instances failed to be tracked; the application never sees these. */
    public static long errors() {
        return ERRORS.sum();
    }
}
