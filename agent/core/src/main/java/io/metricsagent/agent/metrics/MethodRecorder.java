package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.CallGate;
import io.metricsagent.agent.description.ErrorRule;
import io.metricsagent.agent.description.FailureCondition;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.description.MethodMeter;
import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records the calls of one metered method as its {@link MethodMeter} describes them. Constant
 * labels are fixed when the method is woven ({@link FamilySeries}); families whose per-call labels
 * come from the same values share one {@link SeriesTree}, which finds a call's series by those
 * values. A call classifies its outcome once, then for each tree finds its leaf and adds to one
 * series of each family there.
 *
 * <p>A method with an in-flight gauge finds that series when a call starts, by the values known
 * then, and hands its count to the bridge, which takes the call off when it ends.
 *
 * <p>A method with label objects keys its trees by each label's key ({@link LabelKey}) instead of
 * the values themselves: a plain value is its own key, a label object's is its text.
 */
final class MethodRecorder implements MeterBridge.Recorder {

    static final String UNKNOWN = "unknown";
    /** A classified severity the call's number decides. */
    private static final int BY_NUMBER = -1;

    private final SeriesLimit limit;
    private final int numberSlot;
    private final double numberWhenAbsent;
    private final SeriesTree[] trees;
    /** The in-flight gauge's series by the values known on entry, or {@code null} when the method keeps none. */
    private final SeriesTree inFlight;
    private final FailureCondition failure;
    private final CallGate onlyWhen;
    private final int dropWhenValue;
    private final CallGate dropWhen;
    private final List<Family> families;
    private final String failureKey;
    /** {@code null} when what a call throws is labelled by its class name alone. */
    private final ErrorClassifier classifier;
    private final String[] classifiedKeys;
    /** By error rule: the index of its severity among a family's two, or {@link #BY_NUMBER}. */
    private final int[] classifiedSeverities;
    /** What the trees are keyed by, when a label object is among the labels; else {@code null}: the values. */
    private final LabelKey[] keys;
    /** What the exception label unwraps before naming, or {@code null}. */
    private final Unwrapping unwrapping;

    /**
     * @param families   the declared family of each of {@code meter.families()}, in order
     * @param numberSlot the value index holding the number as an object, or -1 when woven code
     *                   passes it as a primitive
     */
    MethodRecorder(MethodMeter meter, List<Family> families, int numberSlot, SeriesLimit limit, int maxLabelLength) {
        this.limit = limit;
        this.families = List.copyOf(families);
        this.numberSlot = numberSlot;
        numberWhenAbsent = meter.numberWhenAbsent();
        failure = meter.failure();
        onlyWhen = meter.onlyWhen();
        dropWhenValue = meter.dropWhenValue();
        dropWhen = meter.dropWhen();
        failureKey = failure == null ? null : SeriesTree.TEXT_KEY + failure.errorType();
        Map<List<Integer>, List<FamilySeries>> byKey = new LinkedHashMap<>();
        boolean classifies = false;
        SeriesTree running = null;
        List<LabelKey> labelKeys = new ArrayList<>();
        Map<Object, Integer> keyPositions = new HashMap<>();
        boolean derived = false;
        Unwrapping unwraps = null;
        for (FamilySpec spec : meter.families()) {
            for (LabelSource label : spec.labels()) {
                derived |= label.kind() == LabelSource.Kind.DERIVED;
                if (label.kind() == LabelSource.Kind.EXCEPTION && !label.unwrap().isEmpty()) {
                    unwraps = new Unwrapping(label.unwrap());
                }
            }
        }
        for (int i = 0; i < families.size(); i++) {
            FamilySpec spec = meter.families().get(i);
            LabelSource[] labels = spec.labels().toArray(new LabelSource[0]);
            if (derived) {
                for (int l = 0; l < labels.length; l++) {
                    labels[l] = keyed(labels[l], labelKeys, keyPositions);
                }
            }
            FamilySeries family = new FamilySeries(families.get(i), spec, labels, maxLabelLength);
            if (family.type == FamilySpec.Type.GAUGE) {
                running = new SeriesTree(family.keyValues, new FamilySeries[] {family}, limit, maxLabelLength);
                continue;
            }
            List<FamilySeries> group = byKey.get(family.keyValues);
            if (group == null) {
                group = new ArrayList<>();
                byKey.put(family.keyValues, group);
            }
            group.add(family);
            classifies |= family.hasException || family.hasSeverity;
        }
        List<ErrorRule> errors = meter.errors();
        classifier = classifies && !errors.isEmpty() ? new ErrorClassifier(errors) : null;
        classifiedKeys = new String[errors.size()];
        classifiedSeverities = new int[errors.size()];
        for (int i = 0; i < classifiedKeys.length; i++) {
            classifiedKeys[i] = SeriesTree.TEXT_KEY + errors.get(i).errorType();
            ErrorRule.Severity severity = errors.get(i).severity();
            classifiedSeverities[i] = severity == ErrorRule.Severity.BY_NUMBER ? BY_NUMBER
                    : severity == ErrorRule.Severity.ABOVE ? 1 : 0;
        }
        keys = derived ? labelKeys.toArray(new LabelKey[0]) : null;
        unwrapping = unwraps;
        inFlight = running;
        trees = new SeriesTree[byKey.size()];
        int t = 0;
        for (Map.Entry<List<Integer>, List<FamilySeries>> entry : byKey.entrySet()) {
            trees[t++] = new SeriesTree(entry.getKey(), entry.getValue().toArray(new FamilySeries[0]), limit,
                    maxLabelLength);
        }
    }

    /**
     * A value's or label object's label as it reads its key: the key's position among
     * {@code keys}, each value and label object keyed once however many families it labels (no
     * more than the bridge's slots: the weaver has checked).
     */
    private static LabelSource keyed(LabelSource label, List<LabelKey> keys, Map<Object, Integer> positions) {
        Object identity;
        if (label.kind() == LabelSource.Kind.VALUE) {
            identity = label.value();
        } else if (label.kind() == LabelSource.Kind.DERIVED) {
            identity = label.derived();
        } else {
            return label;
        }
        Integer position = positions.get(identity);
        if (position == null) {
            position = keys.size();
            positions.put(identity, position);
            keys.add(label.kind() == LabelSource.Kind.VALUE ? LabelKey.value(label.value())
                    : LabelKey.of(label.derived()));
        }
        return LabelSource.value(position);
    }

    /** The families this recorder records into, as declared for it. */
    List<Family> families() {
        return families;
    }

    @Override
    public void record(long nanos, long endNanos, Throwable thrown, double number, Object v0, Object v1, Object v2,
                       Object v3, Object v4, Object v5) {
        if (dropWhen != null && dropWhen.holds(value(dropWhenValue, v0, v1, v2, v3, v4, v5))) {
            return;
        }
        double n = numberSlot < 0 ? number : toNumber(value(numberSlot, v0, v1, v2, v3, v4, v5));
        boolean failed = thrown != null
                || (failure != null && failure.failed(value(failure.value(), v0, v1, v2, v3, v4, v5)));
        int classified = thrown != null && classifier != null ? classifier.classify(thrown) : -1;
        Throwable named = thrown != null && classified < 0 && unwrapping != null ? unwrapping.unwrap(thrown) : thrown;
        // The trees are keyed by the values themselves, or by their labels' keys where a label object is.
        Object k0 = v0;
        Object k1 = v1;
        Object k2 = v2;
        Object k3 = v3;
        Object k4 = v4;
        Object k5 = v5;
        if (keys != null) {
            k0 = key(0, thrown, v0, v1, v2, v3, v4, v5);
            k1 = key(1, thrown, v0, v1, v2, v3, v4, v5);
            k2 = key(2, thrown, v0, v1, v2, v3, v4, v5);
            k3 = key(3, thrown, v0, v1, v2, v3, v4, v5);
            k4 = key(4, thrown, v0, v1, v2, v3, v4, v5);
            k5 = key(5, thrown, v0, v1, v2, v3, v4, v5);
        }
        CellWriter writer = CellWriter.current();
        for (SeriesTree tree : trees) {
            SeriesTree.Leaf leaf = tree.find(k0, k1, k2, k3, k4, k5);
            FamilySeries[] treeFamilies = tree.families;
            for (int f = 0; f < treeFamilies.length; f++) {
                FamilySeries family = treeFamilies[f];
                if (family.failuresOnly && !failed) {
                    continue;
                }
                if (leaf.overflow) {
                    limit.fold(family.name);
                }
                int severity = !family.hasSeverity ? 0
                        : classified >= 0 && classifiedSeverities[classified] != BY_NUMBER
                        ? classifiedSeverities[classified]
                        : n > family.threshold ? 1 : 0;
                Cell[] cells = !failed || !family.hasException ? leaf.cells[f]
                        : classified >= 0 ? leaf.exceptionCells(f, classifiedKeys[classified], null)
                        : named != null ? leaf.exceptionCells(f, named.getClass().getName(), named.getClass())
                        : leaf.exceptionCells(f, failureKey, null);
                family.record(writer, cells, failed, nanos, endNanos, n, severity);
            }
        }
    }

    @Override
    public boolean admits(Object value) {
        return onlyWhen == null || onlyWhen.holds(value);
    }

    @Override
    public LongAdder started(Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        if (inFlight == null) {
            return null;
        }
        SeriesTree.Leaf leaf = keys == null ? inFlight.find(v0, v1, v2, v3, v4, v5)
                : inFlight.find(key(0, null, v0, v1, v2, v3, v4, v5), key(1, null, v0, v1, v2, v3, v4, v5),
                        key(2, null, v0, v1, v2, v3, v4, v5), key(3, null, v0, v1, v2, v3, v4, v5),
                        key(4, null, v0, v1, v2, v3, v4, v5), key(5, null, v0, v1, v2, v3, v4, v5));
        if (leaf.overflow) {
            limit.fold(inFlight.families[0].name);
        }
        InFlightFamily.Calls count = (InFlightFamily.Calls) leaf.cells[0][0];
        count.increment();
        return count;
    }

    private Object key(int position, Throwable thrown, Object v0, Object v1, Object v2, Object v3, Object v4,
                       Object v5) {
        return position < keys.length ? keys[position].key(thrown, v0, v1, v2, v3, v4, v5) : null;
    }

    private double toNumber(Object value) {
        return value instanceof Number ? ((Number) value).doubleValue() : numberWhenAbsent;
    }

    static Object value(int index, Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        switch (index) {
            case 0: return v0;
            case 1: return v1;
            case 2: return v2;
            case 3: return v3;
            case 4: return v4;
            default: return v5;
        }
    }

    /** The label value cut to {@code maxLength} characters, never between the halves of a surrogate pair. */
    static String truncate(String labelValue, int maxLength) {
        if (labelValue.length() <= maxLength) {
            return labelValue;
        }
        int end = Character.isHighSurrogate(labelValue.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
        return labelValue.substring(0, end);
    }
}
