package io.metricsagent.agent.description;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * When a call that returned counts as failed all the same: a receipt whose status is
 * {@code DECLINED}. Tests one of the method's per-call values by its text, so that no code runs
 * per call beyond the value's {@code toString()} (nothing for strings and enums).
 */
public final class FailureCondition {

    private final int value;
    private final Set<String> texts;
    private final boolean failsWhenIn;
    private final boolean failsWhenNull;
    private final String errorType;

    /**
     * @param value         the index of the value in {@link MethodMeter#values()}
     * @param texts         the texts the condition compares the value's text with
     * @param failsWhenIn   true: failed when the text is one of {@code texts}; false: when it is none of them
     * @param failsWhenNull what a {@code null} value means
     * @param errorType     the {@code exception} (or {@code error_type}) label of such a failure
     */
    public FailureCondition(int value, Set<String> texts, boolean failsWhenIn, boolean failsWhenNull, String errorType) {
        this.value = value;
        this.texts = Collections.unmodifiableSet(new LinkedHashSet<>(texts));
        this.failsWhenIn = failsWhenIn;
        this.failsWhenNull = failsWhenNull;
        this.errorType = errorType;
    }

    public int value() {
        return value;
    }

    public String errorType() {
        return errorType;
    }

    /** Whether a call whose value is {@code v} failed. */
    public boolean failed(Object v) {
        return CallGate.holds(v, texts, failsWhenIn, failsWhenNull);
    }
}
