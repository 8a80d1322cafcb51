package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the agent records for one metered method, read once when its class is woven: the per-call
 * values woven code must hand over, the number some families observe, and the families with the
 * source of each label. A call's outcome is failed when it throws, or when a condition on one of
 * its values says so; what it throws may be classified by a configuration rule's {@code errors}.
 * Readers (the annotations, the configuration file's rules) produce it; the weaver and the
 * recorder know only this.
 */
public final class MethodMeter {

    private final String method;
    private final List<ValueSource> values;
    private final ValueSource number;
    private final double numberWhenAbsent;
    private final List<FamilySpec> families;
    private final FailureCondition failure;
    private final List<ErrorRule> errors;
    private final Object nestingGroup;
    private final ValueSource onlyWhenValue;
    private final CallGate onlyWhen;
    private final int dropWhenValue;
    private final CallGate dropWhen;
    private final Remember remember;

    public MethodMeter(String method, List<ValueSource> values, ValueSource number, double numberWhenAbsent,
                       List<FamilySpec> families) {
        this(method, values, number, numberWhenAbsent, families, null);
    }

    public MethodMeter(String method, List<ValueSource> values, ValueSource number, double numberWhenAbsent,
                       List<FamilySpec> families, FailureCondition failure) {
        this(method, values, number, numberWhenAbsent, families, failure, List.of());
    }

    /**
     * @param method           the method as messages name it, e.g. {@code com.shop.Orders.place()}
     * @param values           the per-call values labels refer to by index
     * @param number           where the number comes from, or {@code null} for none
     * @param numberWhenAbsent the number when there is none or it is {@code null}: 0 counts it as
     *                         zero, NaN leaves it unobserved
     * @param failure          when a call that returned failed all the same, or {@code null}
     * @param errors           how what a call throws is classified, first match first
     */
    public MethodMeter(String method, List<ValueSource> values, ValueSource number, double numberWhenAbsent,
                       List<FamilySpec> families, FailureCondition failure, List<ErrorRule> errors) {
        this(method, values, number, numberWhenAbsent, families, failure, errors, null, null, null, -1, null, null);
    }

    private MethodMeter(String method, List<ValueSource> values, ValueSource number, double numberWhenAbsent,
                        List<FamilySpec> families, FailureCondition failure, List<ErrorRule> errors,
                        Object nestingGroup, ValueSource onlyWhenValue, CallGate onlyWhen, int dropWhenValue,
                        CallGate dropWhen, Remember remember) {
        this.method = method;
        this.values = Collections.unmodifiableList(new ArrayList<>(values));
        this.number = number;
        this.numberWhenAbsent = numberWhenAbsent;
        this.families = Collections.unmodifiableList(new ArrayList<>(families));
        this.failure = failure;
        this.errors = Collections.unmodifiableList(new ArrayList<>(errors));
        this.nestingGroup = nestingGroup;
        this.onlyWhenValue = onlyWhenValue;
        this.onlyWhen = onlyWhen;
        this.dropWhenValue = dropWhenValue;
        this.dropWhen = dropWhen;
        this.remember = remember;
    }

    /**
     * The same, recording only the outermost call on a thread among the methods of a nesting
     * group; {@code null}: every call.
     *
     * @param group the group: meters with equal groups share it, whoever declared them
     */
    public MethodMeter nested(Object group) {
        return new MethodMeter(method, values, number, numberWhenAbsent, families, failure, errors, group,
                onlyWhenValue, onlyWhen, dropWhenValue, dropWhen, remember);
    }

    /** The same, keeping a text for each call's object as {@code remember} says, and recording no family. */
    MethodMeter remembering(Remember what) {
        return new MethodMeter(method, values, number, numberWhenAbsent, families, failure, errors, nestingGroup,
                onlyWhenValue, onlyWhen, dropWhenValue, dropWhen, what);
    }

    /**
     * The same with a rule's gates: {@code onlyWhen} on the value {@code onlyWhenValue} read on
     * entry, {@code dropWhen} on the value {@code dropWhenValue} read at exit, added to the
     * values; either may be {@code null}.
     */
    MethodMeter gated(ValueSource onlyWhenValue, CallGate onlyWhen, ValueSource dropWhenValue, CallGate dropWhen) {
        List<ValueSource> read = new ArrayList<>(values);
        int dropIndex = dropWhen == null ? -1 : AnnotationReader.add(read, dropWhenValue);
        return new MethodMeter(method, read, number, numberWhenAbsent, families, failure, errors, nestingGroup,
                onlyWhenValue, onlyWhen, dropIndex, dropWhen, remember);
    }

    public String method() {
        return method;
    }

    public List<ValueSource> values() {
        return values;
    }

    public ValueSource number() {
        return number;
    }

    public double numberWhenAbsent() {
        return numberWhenAbsent;
    }

    public List<FamilySpec> families() {
        return families;
    }

    /** When a call that returned failed all the same; {@code null}: only a throw fails. */
    public FailureCondition failure() {
        return failure;
    }

    /**
     * How what a call throws is classified, in order, for its exception and severity labels;
     * empty: by its simple class name, and the severity by the number.
     */
    public List<ErrorRule> errors() {
        return errors;
    }

    /** What woven code reads on entry for {@link #onlyWhen()}, or {@code null} when the meter has no such gate. */
    public ValueSource onlyWhenValue() {
        return onlyWhenValue;
    }

    /** Whether a call is metered, by the value read on entry; {@code null}: every call. */
    public CallGate onlyWhen() {
        return onlyWhen;
    }

    /** The index in {@link #values()} of what {@link #dropWhen()} tests, or -1. */
    public int dropWhenValue() {
        return dropWhenValue;
    }

    /** Whether a call records nothing after all, by a value read at exit; {@code null}: none is dropped. */
    public CallGate dropWhen() {
        return dropWhen;
    }

    /** What a {@code remember:} rule keeps of each call, its values by index; {@code null} for a meter that records families. */
    public Remember remember() {
        return remember;
    }

    /** The nesting group whose outermost calls alone are recorded, or {@code null}: every call. */
    public Object nestingGroup() {
        return nestingGroup;
    }
}
