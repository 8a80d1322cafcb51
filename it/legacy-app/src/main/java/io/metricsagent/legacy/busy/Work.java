package io.metricsagent.legacy.busy;

/**
 * What the busy threads call: three methods in one class, so that a rule changed for one of them
 * weaves the class again while the others are called.
 */
public final class Work {

    private long done;

    public long stable() {
        return ++done;
    }

    public long toggled() {
        return ++done;
    }

    public long relabeled(int kind) {
        done += kind;
        return done;
    }
}
