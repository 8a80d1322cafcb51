package io.metricsagent.agent.description;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A label object of a configuration rule: a label whose text is read from one value of the call,
 * or the first of several that is not {@code null}, with a text of its own when the call throws
 * or the value is missing, and optionally reduced to a fixed vocabulary ({@code map}), compared
 * with the whole value or with a part of it ({@code extract}). As a rule gives it, it names its
 * values ({@link #specs}); as a method's label ({@link LabelSource#derived}), by their index in
 * {@link MethodMeter#values()}. A mapped label takes at most as many texts as its vocabulary has,
 * plus {@code other}, {@code thrown} and {@code missing}, whatever the values.
 */
public final class DerivedLabel {

    /** Which part of the value's text is compared with the vocabulary. */
    public enum Extract {
        /** All of it; an enum by its {@code name()}, a whole number by its value. */
        WHOLE,
        /** What follows the first {@code after} up to the next {@code until} (or the end). */
        AFTER_UNTIL,
        /** The first run of letters after blanks, {@code (}, <code>{</code> and SQL comments. */
        SQL_KEYWORD
    }

    /** The text of a missing value when the label gives none, as every other label says it. */
    public static final String UNKNOWN = "unknown";

    private final List<String> specs;
    private final boolean firstOf;
    private final int[] values;
    /** For a method's label: by value, the name it is recalled by ({@link Recall}), or {@code null} for a value read as it is. */
    private final String[] recalls;
    private final String thrown;
    private final String missing;
    private final Extract extract;
    private final String after;
    private final String until;
    private final List<String> keys;
    private final List<String> texts;
    private final String other;
    private final boolean readOnEntry;

    private DerivedLabel(List<String> specs, boolean firstOf, int[] values, String[] recalls, String thrown,
                         String missing, Extract extract, String after, String until, List<String> keys,
                         List<String> texts, String other, boolean readOnEntry) {
        this.specs = List.copyOf(specs);
        this.firstOf = firstOf;
        this.values = values;
        this.recalls = recalls;
        this.thrown = thrown;
        this.missing = missing;
        this.extract = extract;
        this.after = after;
        this.until = until;
        this.keys = keys == null ? null : List.copyOf(keys);
        this.texts = texts == null ? null : List.copyOf(texts);
        this.other = other;
        this.readOnEntry = readOnEntry;
    }

    /**
     * @param specs   the values as a rule names them ({@code args[0].status}); several: the first
     *                not {@code null}, and one that the method cannot give is left out
     * @param firstOf whether {@code specs} are {@code first_of:}'s entries (one of them is enough)
     * @param thrown  the text when the call throws, its values unread; {@code null}: read them anyway
     * @param missing the text when every value is {@code null} or fails to read; {@code null}: {@value #UNKNOWN}
     */
    public static DerivedLabel of(List<String> specs, boolean firstOf, String thrown, String missing) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a label object reads at least one value");
        }
        return new DerivedLabel(specs, firstOf, new int[0], new String[0], thrown, missing, null, null, null, null, null,
                null, false);
    }

    /**
     * The same, its values read as the call starts and kept for its end: what the call changes
     * (or another thread, once the call has handed its object on) is not seen.
     */
    public DerivedLabel readOnEntry() {
        return new DerivedLabel(specs, firstOf, values, recalls, thrown, missing, extract, after, until, keys, texts, other,
                true);
    }

    /**
     * The same, reduced to a vocabulary: each of {@code keys}, compared ignoring case with the
     * part {@code extract} takes, gives the text at the same index of {@code texts}; anything
     * else gives {@code other} ({@code "other"} when {@code null}).
     *
     * @param extract {@code null} for the whole value
     * @param after for {@link Extract#AFTER_UNTIL}: the text the part follows, {@code ""} for the start
     * @param until for {@link Extract#AFTER_UNTIL}: the text the part ends before, {@code ""} for the end
     */
    public DerivedLabel mapped(Extract extract, String after, String until, List<String> keys, List<String> texts,
                               String other) {
        if (keys.isEmpty() || keys.size() != texts.size()) {
            throw new IllegalArgumentException("a map needs at least one text, and a text for each key");
        }
        return new DerivedLabel(specs, firstOf, values, recalls, thrown, missing, extract, after, until, keys, texts,
                other == null ? "other" : other, readOnEntry);
    }

    /**
     * The same for one method: its values by their index in {@link MethodMeter#values()}, in order.
     *
     * @param recalled by value, the name a {@code recall(OBJECT, NAME)} entry recalls for the object
     *                 read, or {@code null} for a value read as it is; empty when none is recalled
     */
    public DerivedLabel reading(int[] valueIndexes, List<String> recalled) {
        String[] names = new String[valueIndexes.length];
        for (int i = 0; i < recalled.size(); i++) {
            names[i] = recalled.get(i);
        }
        return new DerivedLabel(specs, firstOf, valueIndexes.clone(), names, thrown, missing, extract, after, until,
                keys, texts, other, readOnEntry);
    }

    public List<String> specs() {
        return specs;
    }

    /** Whether the values are alternatives ({@code first_of:}), of which the method may lack all but one. */
    public boolean firstOf() {
        return firstOf;
    }

    /** For a method's label: the index of each value read, in order. */
    public int[] values() {
        return values.clone();
    }

    /**
     * For a method's label, by value: the name its text is recalled by, or {@code null} where the
     * value is read as it is. A recalled text is the label's as it is: the remembering rule's
     * vocabulary made it already.
     */
    public String[] recalls() {
        return recalls.clone();
    }

    public String thrown() {
        return thrown;
    }

    /** The text of a missing value: the rule's, else {@value #UNKNOWN}. */
    public String missing() {
        return missing != null ? missing : UNKNOWN;
    }

    /** {@code null} when the value's text is the label's, as it is. */
    public Extract extract() {
        return extract;
    }

    public String after() {
        return after;
    }

    public String until() {
        return until;
    }

    /** The vocabulary's keys, or {@code null} when the label is not mapped. */
    public List<String> keys() {
        return keys;
    }

    public List<String> texts() {
        return texts;
    }

    public String other() {
        return other;
    }

    /** Whether the values are read as the call starts rather than as it ends. */
    public boolean isReadOnEntry() {
        return readOnEntry;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DerivedLabel)) {
            return false;
        }
        DerivedLabel d = (DerivedLabel) o;
        return specs.equals(d.specs) && firstOf == d.firstOf && Arrays.equals(values, d.values)
                && Arrays.equals(recalls, d.recalls)
                && Objects.equals(thrown, d.thrown) && Objects.equals(missing, d.missing) && extract == d.extract
                && Objects.equals(after, d.after) && Objects.equals(until, d.until) && Objects.equals(keys, d.keys)
                && Objects.equals(texts, d.texts) && Objects.equals(other, d.other) && readOnEntry == d.readOnEntry;
    }

    @Override
    public int hashCode() {
        return Objects.hash(specs, firstOf, Arrays.hashCode(values), Arrays.hashCode(recalls), thrown, missing, extract,
                after, until, keys, texts, other, readOnEntry);
    }
}
