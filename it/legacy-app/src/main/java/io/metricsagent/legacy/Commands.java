package io.metricsagent.legacy;

/** How many commands have been run: something a configured gauge may read. */
public final class Commands {

    private static volatile int done;

    private Commands() {}

    static void done() {
        done++;
    }

    public static int count() {
        return done;
    }
}
