package io.metricsagent.agent.description;

import java.util.List;
import java.util.Objects;

/** Where one label of a metric family takes its value from, per call. */
public final class LabelSource {

    /** The kinds of source. */
    public enum Kind {
        /** The same text on every call. */
        CONSTANT,
        /** The text of one of the method's per-call values; {@code unknown} when it is {@code null}. */
        VALUE,
        /** One text when the call succeeded, another when it failed. */
        OUTCOME,
        /** The simple (or full) class name of what the call threw; a fixed text when it threw nothing. */
        EXCEPTION,
        /** One text when the method's number is above a threshold, another otherwise (NaN included). */
        SEVERITY,
        /** A label object's text, read from one or more values ({@link DerivedLabel}). */
        DERIVED
    }

    private final Kind kind;
    private final String text;
    private final String otherText;
    private final int value;
    private final double threshold;
    private final boolean className;
    private final List<String> unwrap;
    private final DerivedLabel derived;

    private LabelSource(Kind kind, String text, String otherText, int value, double threshold) {
        this(kind, text, otherText, value, threshold, false, List.of(), null);
    }

    private LabelSource(Kind kind, String text, String otherText, int value, double threshold, boolean className,
                        List<String> unwrap, DerivedLabel derived) {
        this.kind = kind;
        this.text = text;
        this.otherText = otherText;
        this.value = value;
        this.threshold = threshold;
        this.className = className;
        this.unwrap = List.copyOf(unwrap);
        this.derived = derived;
    }

    public static LabelSource constant(String text) {
        return new LabelSource(Kind.CONSTANT, text, null, -1, 0);
    }

    /** @param value the index of the value in {@link MethodMeter#values()} */
    public static LabelSource value(int value) {
        return new LabelSource(Kind.VALUE, null, null, value, 0);
    }

    public static LabelSource outcome(String success, String failure) {
        return new LabelSource(Kind.OUTCOME, success, failure, -1, 0);
    }

    /** @param none the text when the call threw nothing */
    public static LabelSource exception(String none) {
        return new LabelSource(Kind.EXCEPTION, none, null, -1, 0);
    }

    /**
     * @param none      the text when the call threw nothing
     * @param className whether the exception is named by its full class name rather than its simple name
     * @param unwrap    exception types, by Java name, replaced by their cause (when they have one) before naming
     */
    public static LabelSource exception(String none, boolean className, List<String> unwrap) {
        return new LabelSource(Kind.EXCEPTION, none, null, -1, 0, className, unwrap, null);
    }

    /** A label object, as a rule gives it (its values named) or as a method's (its values by index). */
    public static LabelSource derived(DerivedLabel label) {
        return new LabelSource(Kind.DERIVED, null, null, -1, 0, false, List.of(), label);
    }

    public static LabelSource severity(double threshold, String above, String otherwise) {
        return new LabelSource(Kind.SEVERITY, above, otherwise, -1, threshold);
    }

    public Kind kind() {
        return kind;
    }

    /** The constant; for OUTCOME the success text; for EXCEPTION the text of no exception; for SEVERITY the high text. */
    public String text() {
        return text;
    }

    /** For OUTCOME the failure text; for SEVERITY the text at or below the threshold. */
    public String otherText() {
        return otherText;
    }

    /** For VALUE: the index of the value. */
    public int value() {
        return value;
    }

    public double threshold() {
        return threshold;
    }

    /** For EXCEPTION: whether it is the full class name ({@code java.io.IOException}) rather than the simple name. */
    public boolean className() {
        return className;
    }

    /** For EXCEPTION: the types replaced by their cause before naming. */
    public List<String> unwrap() {
        return unwrap;
    }

    /** For DERIVED: the label object. */
    public DerivedLabel derived() {
        return derived;
    }

    /** The same source: a rule that gives it is the same rule, and a reload keeps what it wove. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LabelSource)) {
            return false;
        }
        LabelSource other = (LabelSource) o;
        return kind == other.kind && Objects.equals(text, other.text) && Objects.equals(otherText, other.otherText)
                && value == other.value && Double.compare(threshold, other.threshold) == 0
                && className == other.className && unwrap.equals(other.unwrap) && Objects.equals(derived, other.derived);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, text, otherText, value, threshold, className, unwrap, derived);
    }
}
