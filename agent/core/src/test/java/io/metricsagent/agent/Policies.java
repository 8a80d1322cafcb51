package io.metricsagent.agent;

/** Failure policies for tests of other packages, which cannot build one. */
public final class Policies {

    private Policies() {}

    /** Without {@code strict}, loaded with -javaagent: a failure is one line and the JVM runs on. */
    public static FailurePolicy lenient() {
        return new FailurePolicy(false, false);
    }
}
