package io.metricsagent.agent.description;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A rule's {@code only_when} (read on entry: a call it does not hold for is not metered) or
 * {@code drop_when} (read at exit: a call it holds for records nothing), shaped as
 * {@code failed_when}: the value read {@code equals} a text, is {@code in} a list of texts, is
 * {@code not_equals} a text, or {@code is_null}. Compares the value's text, so that no code runs
 * per call beyond its {@code toString()} (nothing for strings, enums and booleans).
 */
public final class CallGate {

    private final String value;
    private final Set<String> texts;
    private final boolean whenIn;
    private final boolean whenNull;

    /**
     * @param value    what is read, as a label's value is named: {@code args[0].dispatcherType}
     * @param texts    the texts compared with, none when only {@code is_null} decides
     * @param whenIn   whether the gate holds for a text among {@code texts} ({@code equals},
     *                 {@code in}) rather than for one not among them ({@code not_equals})
     * @param whenNull whether it holds for {@code null}, which is also what a value that cannot be read gives
     */
    public CallGate(String value, List<String> texts, boolean whenIn, boolean whenNull) {
        this.value = value;
        this.texts = Collections.unmodifiableSet(new LinkedHashSet<>(texts));
        this.whenIn = whenIn;
        this.whenNull = whenNull;
    }

    String value() {
        return value;
    }

    Set<String> texts() {
        return texts;
    }

    boolean whenIn() {
        return whenIn;
    }

    boolean whenNull() {
        return whenNull;
    }

    /** Whether the gate holds for a call whose value is {@code v}. */
    public boolean holds(Object v) {
        return holds(v, texts, whenIn, whenNull);
    }

    static boolean holds(Object v, Set<String> texts, boolean whenIn, boolean whenNull) {
        if (v == null) {
            return whenNull;
        }
        String text = v instanceof String ? (String) v : v.toString();
        return texts.contains(text) == whenIn;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CallGate)) {
            return false;
        }
        CallGate other = (CallGate) o;
        return value.equals(other.value) && texts.equals(other.texts) && whenIn == other.whenIn
                && whenNull == other.whenNull;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, texts, whenIn, whenNull);
    }
}
