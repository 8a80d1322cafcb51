package io.metricsagent.it.truth;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an application did, counted by the application itself: the ground truth a test holds the
 * agent's metrics to. Each count has a key of single words and is printed as
 * {@code truth <key> <count>}, keys in order; requests are keyed
 * {@code http <method> <route> <status> <error>}, the error being the class of the exception that
 * escaped the application's code or {@code -}.
 */
public final class Ledger {

    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<String, AtomicLong> counts = new ConcurrentSkipListMap<>();
    private final AtomicInteger requestsInProgress = new AtomicInteger();

    /** A request entered the application's outermost code. */
    public void requestStarted() {
        requestsInProgress.incrementAndGet();
    }

    /** The request's outermost code returned or threw {@code error} (null when it returned). */
    public void requestEnded(String method, String route, int status, Throwable error) {
        count("http", method, route, String.valueOf(status), error == null ? "-" : error.getClass().getName());
        requestsInProgress.decrementAndGet();
    }

    /** The request's outermost code returned, leaving the request to a later dispatch, which ends it. */
    public void requestHandedOn() {
        requestsInProgress.decrementAndGet();
    }

    public void count(String... key) {
        counts.computeIfAbsent(String.join(" ", key), k -> new AtomicLong()).incrementAndGet();
    }

    /**
     * Prints every count once no request is in progress: a client can have its whole response
     * while the server's code has yet to return, so a request it saw end may not be counted yet.
     */
    public void print(PrintStream out) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (requestsInProgress.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (requestsInProgress.get() > 0) {
            out.println("truth unsettled " + requestsInProgress.get() + " requests in progress");
        }
        counts.forEach((key, count) -> out.println("truth " + key + " " + count.get()));
    }
}
