package io.metricsagent.agent.description;

import java.util.List;
import java.util.Objects;

/**
 * A rule's {@code failed_when}: a call that returns normally failed when a value it reads
 * {@code equals} a text, is {@code in} a list of texts, is {@code not_equals} a text, or
 * {@code is_null}; its exception label is then {@code error_type}.
 */
public final class FailedWhen {

    private final CallGate test;
    private final String errorType;

    /**
     * @param value         what is read, as a label's value is named: {@code return.status}
     * @param texts         the texts compared with, none when only {@code is_null} decides
     * @param failsWhenIn   whether a text among {@code texts} fails the call ({@code equals}, {@code in})
     *                      rather than one not among them ({@code not_equals})
     * @param errorType     the exception label of a failed call, or {@code null}: the one text
     *                      {@code equals} names, else {@code failed_when}
     */
    public FailedWhen(String value, List<String> texts, boolean failsWhenIn, boolean failsWhenNull, String errorType) {
        this(new CallGate(value, texts, failsWhenIn, failsWhenNull), errorType);
    }

    /** @param test when the call failed, as a gate would hold */
    public FailedWhen(CallGate test, String errorType) {
        this.test = test;
        this.errorType = errorType;
    }

    /** The condition for one method, its value added to those the meter reads. */
    FailureCondition condition(AnnotatedMethod method, List<ValueSource> values) {
        int index = AnnotationReader.add(values, RuleReader.source(test.value(), method));
        String label = errorType != null ? errorType
                : test.texts().size() == 1 && test.whenIn() ? test.texts().iterator().next() : "failed_when";
        return new FailureCondition(index, test.texts(), test.whenIn(), test.whenNull(), label);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FailedWhen && test.equals(((FailedWhen) o).test)
                && Objects.equals(errorType, ((FailedWhen) o).errorType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(test, errorType);
    }
}
