package io.metricsagent.agent.weaving;

import io.metricsagent.api.Metered;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weaving fixture for nesting and in-flight counts: a three-level delegation whose innermost level
 * may throw (the middle one turns that into a return), recursion, a group shared by two metrics,
 * every level counted, and a call that waits while in flight.
 */
public class NestedCalls {

    @Metered(name = "test_nested_calls", nesting = Metered.Nesting.OUTERMOST, labels = "level=outer")
    public String outer(boolean innerThrows) {
        return middle(innerThrows);
    }

    @Metered(name = "test_nested_calls", nesting = Metered.Nesting.OUTERMOST, labels = "level=middle")
    public String middle(boolean innerThrows) {
        try {
            return inner(innerThrows);
        } catch (IllegalStateException e) {
            return "recovered";
        }
    }

    @Metered(name = "test_nested_calls", nesting = Metered.Nesting.OUTERMOST, labels = "level=inner")
    public String inner(boolean innerThrows) {
        if (innerThrows) {
            throw new IllegalStateException("inner");
        }
        return "inner";
    }

    /** Counts its reads: an inner call of a nesting group must not read the paths of its labels. */
    public static final class Probe {
        public static final AtomicInteger READS = new AtomicInteger();

        public String getName() {
            READS.incrementAndGet();
            return "probe";
        }
    }

    @Metered(name = "test_nested_paths", nesting = Metered.Nesting.OUTERMOST)
    public int probed(@Metered.Label(value = "probe", path = "name") Probe probe, int depth) {
        return depth == 0 ? 0 : 1 + probed(probe, depth - 1);
    }

    @Metered(name = "test_nested_countdown", nesting = Metered.Nesting.OUTERMOST)
    public int countdown(int n) {
        return n == 0 ? 0 : 1 + countdown(n - 1);
    }

    @Metered(name = "test_every_countdown")
    public int everyLevel(int n) {
        return n == 0 ? 0 : 1 + everyLevel(n - 1);
    }

    /** Calls into another group, which calls back into this one: the call back is an inner call here. */
    @Metered(name = "test_reentry_outer", nesting = Metered.Nesting.OUTERMOST)
    public int reenterOuter(int depth) {
        return depth == 0 ? 0 : reenterOther(depth);
    }

    @Metered(name = "test_reentry_other", nesting = Metered.Nesting.OUTERMOST)
    public int reenterOther(int depth) {
        return 1 + reenterOuter(depth - 1);
    }

    @Metered(name = "test_group_a", nestingGroup = "test-group")
    public void groupA() {
        groupB();
    }

    @Metered(name = "test_group_b", nestingGroup = "test-group")
    public void groupB() {
    }

    @Metered(name = "test_waits", inFlight = true, returnLabel = "result")
    public String waitFor(@Metered.Label("queue") String queue, CountDownLatch started, CountDownLatch release,
                          boolean fail) throws InterruptedException {
        started.countDown();
        release.await();
        if (fail) {
            throw new IllegalStateException("failed while in flight");
        }
        return "done";
    }

    @Metered(name = "test_nested_in_flight", nesting = Metered.Nesting.OUTERMOST, inFlight = true)
    public void nestedInFlight(CountDownLatch started, CountDownLatch release, int depth) throws InterruptedException {
        if (depth > 0) {
            nestedInFlight(started, release, depth - 1);
            return;
        }
        started.countDown();
        release.await();
    }
}
