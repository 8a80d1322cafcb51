package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code remember:} rule: at the end of each call it records no metric, but keeps, for one
 * object of the call ({@code return}, {@code this} or an argument), a text of a fixed vocabulary
 * read from a value of the call, which a later call's label reads back with
 * {@code recall(OBJECT, NAME)} ({@link Recall}): a prepared statement's SQL keyword, known when
 * the statement is prepared, labels its executions. Only the vocabulary's own texts are kept,
 * never the application's value or object. As a rule gives it, it names its object and value; as
 * a method's ({@link MethodMeter#remember()}), it reads them by their index in
 * {@link MethodMeter#values()}.
 */
public final class Remember extends Recipe {

    private final String name;
    private final String object;
    /** The value and its vocabulary, as a mapped label object reads them. */
    private final DerivedLabel text;
    private final int objectIndex;

    private Remember(String name, String object, DerivedLabel text, int objectIndex) {
        this.name = name;
        this.object = object;
        this.text = text;
        this.objectIndex = objectIndex;
    }

    /**
     * @param name   what {@code recall} names it by
     * @param object what the text is kept for, as a value is named: {@code return}, {@code this}, {@code args[0]}
     * @param text   a mapped label object of one value: only its texts are ever kept
     */
    public static Remember of(String name, String object, DerivedLabel text) {
        if (text.keys() == null || text.specs().size() != 1) {
            throw new IllegalArgumentException("remember keeps a text of its map, read from one value");
        }
        return new Remember(name, object, text, -1);
    }

    @Override
    public String title() {
        return "remember " + name;
    }

    @Override
    MethodMeter describe(AnnotatedMethod method, FailedWhen failedWhen) {
        List<ValueSource> values = new ArrayList<>();
        int objectAt = AnnotationReader.add(values, RuleReader.source(object, method));
        int valueAt = AnnotationReader.add(values, RuleReader.source(text.specs().get(0), method));
        return new MethodMeter(method.describe(), values, null, 0, List.of())
                .remembering(new Remember(name, object, text.reading(new int[] {valueAt}, List.of()), objectAt));
    }

    public String name() {
        return name;
    }

    /** For a method's: the index of the object the text is kept for. */
    public int object() {
        return objectIndex;
    }

    /** For a method's: the value read, by its index, and the vocabulary it is reduced to. */
    public DerivedLabel text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Remember)) {
            return false;
        }
        Remember other = (Remember) o;
        return name.equals(other.name) && object.equals(other.object) && text.equals(other.text)
                && objectIndex == other.objectIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, object, text, objectIndex);
    }
}
