package io.metricsagent.agent.description;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A rule's {@code failed_when}: a call that returns normally failed when a value it reads
 * {@code equals} a text, is {@code in} a list of texts, is {@code not_equals} a text, or
 * {@code is_null}; its exception label is then {@code error_type}.
 */
public final class FailedWhen {

    private final String value;
    private final List<String> texts;
    private final boolean failsWhenIn;
    private final boolean failsWhenNull;
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
        this.value = value;
        this.texts = List.copyOf(texts);
        this.failsWhenIn = failsWhenIn;
        this.failsWhenNull = failsWhenNull;
        this.errorType = errorType;
    }

    /** The condition for one method, its value added to those the meter reads. */
    FailureCondition condition(AnnotatedMethod method, List<ValueSource> values) {
        int index = AnnotationReader.add(values, RuleReader.source(value, method));
        String label = errorType != null ? errorType : texts.size() == 1 && failsWhenIn ? texts.get(0) : "failed_when";
        return new FailureCondition(index, new LinkedHashSet<>(texts), failsWhenIn, failsWhenNull, label);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FailedWhen)) {
            return false;
        }
        FailedWhen other = (FailedWhen) o;
        return value.equals(other.value) && texts.equals(other.texts) && failsWhenIn == other.failsWhenIn
                && failsWhenNull == other.failsWhenNull && Objects.equals(errorType, other.errorType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, texts, failsWhenIn, failsWhenNull, errorType);
    }
}
