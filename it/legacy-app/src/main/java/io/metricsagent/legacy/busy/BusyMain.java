package io.metricsagent.legacy.busy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N threads (the first argument, 8 by default) call {@link Work}'s three methods in turn as fast
 * as they can, each counting its own calls, until told to stop; what escaped a call is counted
 * too. Commands, one per stdin line:
 * <ul>
 *   <li>{@code count}: prints {@code count calls=<all calls so far> nanos=<since start>}, for a
 *       throughput between two counts;</li>
 *   <li>{@code stop}: stops and joins the threads, then prints
 *       {@code stopped stable=<n> toggled=<n> relabeled=<n> escaped=<n>};</li>
 *   <li>{@code exit}.</li>
 * </ul>
 */
public final class BusyMain {

    private static final AtomicBoolean RUNNING = new AtomicBoolean(true);
    private static final AtomicLong ESCAPED = new AtomicLong();

    private BusyMain() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            ESCAPED.incrementAndGet();
            e.printStackTrace();
        });
        Caller[] callers = new Caller[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            callers[i] = new Caller();
            callers[i].setName("busy-" + i);
            callers[i].start();
        }
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("count")) {
                long calls = 0;
                for (Caller caller : callers) {
                    calls += caller.calls();
                }
                System.out.println("count calls=" + calls + " nanos=" + (System.nanoTime() - start));
            } else if (line.equals("stop")) {
                RUNNING.set(false);
                long stable = 0;
                long toggled = 0;
                long relabeled = 0;
                for (Caller caller : callers) {
                    caller.join();
                    stable += caller.stable;
                    toggled += caller.toggled;
                    relabeled += caller.relabeled;
                }
                System.out.println("stopped stable=" + stable + " toggled=" + toggled + " relabeled=" + relabeled
                        + " escaped=" + ESCAPED.get());
            } else if (line.equals("exit")) {
                return;
            }
        }
    }

    private static final class Caller extends Thread {
        private final Work work = new Work();
        // Written by this thread only; read by main after the join, and while running as an estimate.
        private volatile long published;
        long stable;
        long toggled;
        long relabeled;

        @Override
        public void run() {
            while (RUNNING.get()) {
                for (int i = 0; i < 1024; i++) {
                    try {
                        work.stable();
                        stable++;
                        work.toggled();
                        toggled++;
                        work.relabeled(1 + (i & 1));
                        relabeled++;
                    } catch (Throwable t) {
                        ESCAPED.incrementAndGet();
                    }
                }
                published = stable;
            }
        }

        long calls() {
            return published * 3;
        }
    }
}
