package io.metricsagent.agent.weaving;

import java.util.List;

/** A metered method's calls, and its own locals (from the first pass: the woven ones go after them). */
final class WovenMethod {
    final List<WovenCall> calls;
    final int maxLocals;
    /** For a Kotlin suspend function with a state machine: the class of its continuation; else {@code null}. */
    final String continuation;

    WovenMethod(List<WovenCall> calls, int maxLocals, String continuation) {
        this.calls = calls;
        this.maxLocals = maxLocals;
        this.continuation = continuation;
    }
}
