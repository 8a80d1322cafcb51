package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where one per-call value of a metered method comes from: an argument or the return value,
 * optionally followed by a path of getters or fields into it ({@code order.customer.tier}).
 * Woven code reads it once per call and hands it to the method's recorder.
 */
public final class ValueSource {

    /** The argument index that stands for the return value. */
    public static final int RETURN_VALUE = -1;
    /** The argument index that stands for {@code this}. */
    public static final int THIS = -2;

    private final int argument;
    private final List<String> path;
    private final boolean readOnEntry;

    private ValueSource(int argument, List<String> path, boolean readOnEntry) {
        this.argument = argument;
        this.path = Collections.unmodifiableList(path);
        this.readOnEntry = readOnEntry;
    }

    /** The argument at {@code index} (0-based, not counting {@code this}), then {@code path}. */
    public static ValueSource argument(int index, List<String> path) {
        if (index < 0) {
            throw new IllegalArgumentException("argument index " + index);
        }
        return new ValueSource(index, path, false);
    }

    /** The method's return value, then {@code path}; {@code null} when the call throws. */
    public static ValueSource returnValue(List<String> path) {
        return new ValueSource(RETURN_VALUE, path, false);
    }

    /** The instance the method runs on, then {@code path}. */
    public static ValueSource thisObject(List<String> path) {
        return new ValueSource(THIS, path, false);
    }

    /**
     * Splits a dot-separated path such as {@code customer.tier} into its steps (see
     * {@link PathStep}); empty for none. A step's literal may hold dots:
     * {@code getAttribute("a.b").name} is two steps.
     */
    public static List<String> path(String dotted) {
        if (dotted == null || dotted.isEmpty()) {
            return Collections.emptyList();
        }
        List<String> steps = new ArrayList<>();
        for (int start = 0; start <= dotted.length(); ) {
            int end = PathStep.end(dotted, start);
            String step = dotted.substring(start, end);
            try {
                PathStep.parse(step);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("path '" + dotted + "' is not of the form name.name...: "
                        + e.getMessage());
            }
            steps.add(step);
            start = end + 1;
        }
        return List.copyOf(steps);
    }

    /**
     * Splits a path of names alone, getters and fields, such as {@code this.config.poolName}: what
     * a gauge reads from an instance.
     */
    public static List<String> plainPath(String dotted) {
        List<String> steps = List.of(dotted.split("\\.", -1));
        for (String step : steps) {
            if (!PathStep.isIdentifier(step)) {
                throw new IllegalArgumentException("path '" + dotted + "' is not of the form name.name...");
            }
        }
        return steps;
    }

    /**
     * The same value read as the call starts and kept for its end: a value of its own, beside
     * the same path read as the call ends.
     */
    public ValueSource readOnEntry() {
        if (isReturnValue()) {
            throw new IllegalArgumentException("the return value is not there when a call starts");
        }
        return new ValueSource(argument, path, true);
    }

    public boolean isReadOnEntry() {
        return readOnEntry;
    }

    public boolean isReturnValue() {
        return argument == RETURN_VALUE;
    }

    public boolean isThis() {
        return argument == THIS;
    }

    /** The argument index; {@link #RETURN_VALUE} for the return value, {@link #THIS} for {@code this}. */
    public int argument() {
        return argument;
    }

    public List<String> path() {
        return path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueSource && ((ValueSource) o).argument == argument && ((ValueSource) o).path.equals(path)
                && ((ValueSource) o).readOnEntry == readOnEntry;
    }

    @Override
    public int hashCode() {
        return Objects.hash(argument, path, readOnEntry);
    }

    @Override
    public String toString() {
        String root = isReturnValue() ? "return value" : isThis() ? "this" : "argument " + argument;
        String read = path.isEmpty() ? root : root + " path " + String.join(".", path);
        return readOnEntry ? read + " on entry" : read;
    }
}
