package io.metricsagent.agent.metrics;

import io.metricsagent.agent.instrument.ErrorRule;
import io.metricsagent.agent.instrument.FailureCondition;
import io.metricsagent.agent.instrument.FamilySpec;
import io.metricsagent.agent.instrument.LabelSource;
import io.metricsagent.agent.instrument.MethodMeter;
import io.metricsagent.agent.metrics.SeriesLimit.Series;
import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records the calls of one metered method as its {@link MethodMeter} describes them. Constant
 * labels are fixed when the method is woven; families whose per-call labels come from the same
 * values form a group, and a group finds its series through one map per value, keyed by the
 * value itself: a call costs those map reads and the adds, with no label arrays built and nothing
 * allocated once its values have been seen. Values beyond the series bound go to the group's
 * overflow series and are not cached, so the caches stay as bounded as the metrics.
 *
 * <p>A method with an in-flight gauge finds that series when a call starts, by the values known
 * then, and hands its count to the bridge, which takes the call off when it ends.
 *
 * <p>Nothing here holds an application class: values are keyed by their text unless they are
 * strings or boxed primitives, and exceptions by their class name, or by the error type the
 * method's classification or failure condition gives them.
 */
final class MethodRecorder implements MeterBridge.Recorder {

    static final String UNKNOWN = "unknown";
    private static final Object NULL_KEY = new Object();
    /**
     * Starts the key of an error type given as text; no class's name contains ';' (JVMS 4.2.1),
     * so such a key never meets an exception's class name.
     */
    private static final String TEXT_KEY = ";";
    /** A classified severity the call's number decides. */
    private static final int BY_NUMBER = -1;

    private final SeriesLimit limit;
    private final int maxLabelLength;
    private final int numberSlot;
    private final double numberWhenAbsent;
    private final Group[] groups;
    /** The in-flight gauge's series by the values known on entry, or {@code null} when the method keeps none. */
    private final Group inFlight;
    private final FailureCondition failure;
    private final List<Family> families;
    private final String failureKey;
    /** {@code null} when what a call throws is labelled by its class name alone. */
    private final ErrorClassifier classifier;
    private final String[] classifiedKeys;
    /** By error rule: the index of its severity among a family's two, or {@link #BY_NUMBER}. */
    private final int[] classifiedSeverities;

    /**
     * @param families   the declared family of each of {@code meter.families()}, in order
     * @param numberSlot the value index holding the number as an object, or -1 when woven code
     *                   passes it as a primitive
     */
    MethodRecorder(MethodMeter meter, List<Family> families, int numberSlot, SeriesLimit limit, int maxLabelLength) {
        this.limit = limit;
        this.families = List.copyOf(families);
        this.maxLabelLength = maxLabelLength;
        this.numberSlot = numberSlot;
        numberWhenAbsent = meter.numberWhenAbsent();
        failure = meter.failure();
        failureKey = failure == null ? null : TEXT_KEY + failure.errorType();
        Map<List<Integer>, List<FamilyRecorder>> byKey = new LinkedHashMap<>();
        boolean classifies = false;
        Group running = null;
        for (int i = 0; i < families.size(); i++) {
            FamilyRecorder family = new FamilyRecorder(families.get(i), meter.families().get(i));
            if (family.type == FamilySpec.Type.GAUGE) {
                running = new Group(family.keyValues, new FamilyRecorder[] {family});
                continue;
            }
            List<FamilyRecorder> group = byKey.get(family.keyValues);
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
            classifiedKeys[i] = TEXT_KEY + errors.get(i).errorType();
            ErrorRule.Severity severity = errors.get(i).severity();
            classifiedSeverities[i] = severity == ErrorRule.Severity.BY_NUMBER ? BY_NUMBER
                    : severity == ErrorRule.Severity.ABOVE ? 1 : 0;
        }
        inFlight = running;
        groups = new Group[byKey.size()];
        int g = 0;
        for (Map.Entry<List<Integer>, List<FamilyRecorder>> entry : byKey.entrySet()) {
            groups[g++] = new Group(entry.getKey(), entry.getValue().toArray(new FamilyRecorder[0]));
        }
    }

    /** The families this recorder records into, as declared for it. */
    List<Family> families() {
        return families;
    }

    @Override
    public void record(long nanos, Throwable thrown, double number, Object v0, Object v1, Object v2, Object v3,
                       Object v4, Object v5) {
        double n = numberSlot < 0 ? number : toNumber(value(numberSlot, v0, v1, v2, v3, v4, v5));
        boolean failed = thrown != null
                || (failure != null && failure.failed(value(failure.value(), v0, v1, v2, v3, v4, v5)));
        int classified = thrown != null && classifier != null ? classifier.classify(thrown) : -1;
        CellWriter writer = CellWriter.current();
        for (Group group : groups) {
            group.record(writer, nanos, failed, thrown, classified, n, v0, v1, v2, v3, v4, v5);
        }
    }

    @Override
    public LongAdder started(Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        if (inFlight == null) {
            return null;
        }
        Leaf leaf = inFlight.find(v0, v1, v2, v3, v4, v5);
        if (leaf.overflow) {
            limit.fold(inFlight.families[0].name);
        }
        InFlightFamily.Calls count = (InFlightFamily.Calls) leaf.cells[0][0];
        count.increment();
        return count;
    }

    private double toNumber(Object value) {
        return value instanceof Number ? ((Number) value).doubleValue() : numberWhenAbsent;
    }

    private static Object value(int index, Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        switch (index) {
            case 0: return v0;
            case 1: return v1;
            case 2: return v2;
            case 3: return v3;
            case 4: return v4;
            default: return v5;
        }
    }

    // Strings and boxed primitives are immutable classes of the JDK, so they can key a cache
    // themselves; anything else (an enum, an application object) is keyed by its text, so that
    // the cache never holds the application's classes.
    private static Object key(Object value) {
        if (value == null) {
            return NULL_KEY;
        }
        if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Boolean
                || value instanceof Character || value instanceof Short || value instanceof Byte) {
            return value;
        }
        return String.valueOf(value);
    }

    private String labelText(Object value) {
        return value == null ? UNKNOWN : truncate(value.toString());
    }

    String truncate(String labelValue) {
        return truncate(labelValue, maxLabelLength);
    }

    /** The label value cut to {@code maxLength} characters, never between the halves of a surrogate pair. */
    static String truncate(String labelValue, int maxLength) {
        if (labelValue.length() <= maxLength) {
            return labelValue;
        }
        int end = Character.isHighSurrogate(labelValue.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
        return labelValue.substring(0, end);
    }

    private static String exceptionName(Class<?> type) {
        String simpleName = type.getSimpleName();
        return simpleName.isEmpty() ? type.getName() : simpleName; // anonymous classes
    }

    /** One family as this method records into it: the shared family, with this method's label sources. */
    private final class FamilyRecorder {
        final Family family;
        final String name;
        final LabelSource[] labels;
        final String[] constants;
        final List<Integer> keyValues = new ArrayList<>();
        final boolean hasOutcome;
        final boolean hasException;
        final boolean hasSeverity;
        final boolean failuresOnly;
        final double threshold;
        final int severities;
        final FamilySpec.Type type;
        final boolean observesNumber;

        FamilyRecorder(Family family, FamilySpec spec) {
            this.family = family;
            name = spec.name();
            labels = spec.labels().toArray(new LabelSource[0]);
            constants = new String[labels.length];
            boolean outcome = false;
            boolean exception = false;
            boolean severity = false;
            double above = 0;
            for (int i = 0; i < labels.length; i++) {
                switch (labels[i].kind()) {
                    case CONSTANT:
                        constants[i] = truncate(labels[i].text());
                        break;
                    case VALUE:
                        if (!keyValues.contains(labels[i].value())) {
                            keyValues.add(labels[i].value());
                        }
                        break;
                    case OUTCOME:
                        outcome = true;
                        break;
                    case EXCEPTION:
                        exception = true;
                        break;
                    case SEVERITY:
                        severity = true;
                        above = labels[i].threshold();
                        break;
                    default:
                        throw new IllegalStateException(labels[i].kind().toString());
                }
            }
            hasOutcome = outcome;
            hasException = exception;
            hasSeverity = severity;
            threshold = above;
            severities = severity ? 2 : 1;
            failuresOnly = spec.failuresOnly();
            type = spec.type();
            observesNumber = spec.observed() == FamilySpec.Observed.NUMBER;
        }

        /** The label values of one series; {@code exception} is {@code null} when the call threw nothing. */
        String[] labelValues(List<Integer> groupKeys, String[] valueTexts, boolean failed, String exception, boolean high) {
            String[] values = new String[labels.length];
            for (int i = 0; i < labels.length; i++) {
                LabelSource label = labels[i];
                switch (label.kind()) {
                    case CONSTANT:
                        values[i] = constants[i];
                        break;
                    case VALUE:
                        values[i] = valueTexts[groupKeys.indexOf(label.value())];
                        break;
                    case OUTCOME:
                        values[i] = failed ? label.otherText() : label.text();
                        break;
                    case EXCEPTION:
                        values[i] = exception == null ? label.text() : exception;
                        break;
                    default:
                        values[i] = high ? label.text() : label.otherText();
                        break;
                }
            }
            return values;
        }

        /**
         * The series a call without an exception label value can land in: both outcomes (or only
         * success, when failures carry the exception, or only failure for a failures-only family),
         * times both severities.
         */
        List<String[]> baseSeries(List<Integer> groupKeys, String[] valueTexts) {
            List<String[]> series = new ArrayList<>();
            if (hasException && failuresOnly) {
                return series;
            }
            boolean bothOutcomes = hasOutcome && !hasException && !failuresOnly;
            for (int o = 0; o < (bothOutcomes ? 2 : 1); o++) {
                boolean failed = o == 1 || (failuresOnly && !hasException);
                for (int s = 0; s < severities; s++) {
                    series.add(labelValues(groupKeys, valueTexts, failed, null, s == 1));
                }
            }
            return series;
        }

        List<String[]> exceptionSeries(List<Integer> groupKeys, String[] valueTexts, String exception) {
            List<String[]> series = new ArrayList<>();
            for (int s = 0; s < severities; s++) {
                series.add(labelValues(groupKeys, valueTexts, true, exception, s == 1));
            }
            return series;
        }

        void record(CellWriter writer, Cell[] cells, boolean failed, long nanos, double n, int severity) {
            int index = (failed && hasOutcome && !hasException && !failuresOnly ? severities : 0) + severity;
            if (type == FamilySpec.Type.COUNTER) {
                cells[index].record(writer, 1);
            } else if (!observesNumber) {
                cells[index].record(writer, nanos / 1e9);
            } else if (Double.isFinite(n)) {
                // NaN or an infinity would poison the histogram's sum for good; the call still counts.
                cells[index].record(writer, n);
            }
        }
    }

    /** The families keyed by the same per-call values, and their series by those values. */
    private final class Group {
        final List<Integer> keys;
        final int[] keyValues;
        final FamilyRecorder[] families;
        /** With no keys: the one leaf, once admitted. Else nested maps, one level per key, then leaves. */
        private volatile Leaf single;
        private final ConcurrentHashMap<Object, Object> root = new ConcurrentHashMap<>();
        private volatile Leaf overflow;

        Group(List<Integer> keys, FamilyRecorder[] families) {
            this.keys = keys;
            this.families = families;
            keyValues = new int[keys.size()];
            for (int i = 0; i < keyValues.length; i++) {
                keyValues[i] = keys.get(i);
            }
        }

        /**
         * @param thrown     what the call threw; {@code null} also when it failed by the method's condition
         * @param classified the index of the method's error rule {@code thrown} matches, or -1
         */
        void record(CellWriter writer, long nanos, boolean failed, Throwable thrown, int classified, double n, Object v0,
                    Object v1, Object v2, Object v3, Object v4, Object v5) {
            Leaf leaf = find(v0, v1, v2, v3, v4, v5);
            for (int f = 0; f < families.length; f++) {
                FamilyRecorder family = families[f];
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
                        : thrown != null ? leaf.exceptionCells(f, thrown.getClass().getName(), thrown.getClass())
                        : leaf.exceptionCells(f, failureKey, null);
                family.record(writer, cells, failed, nanos, n, severity);
            }
        }

        private Leaf find(Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
            if (keyValues.length == 0) {
                Leaf leaf = single;
                return leaf != null ? leaf : create(new Object[] {v0, v1, v2, v3, v4, v5});
            }
            Object node = root;
            for (int key : keyValues) {
                @SuppressWarnings("unchecked")
                Object next = ((ConcurrentHashMap<Object, Object>) node).get(key(value(key, v0, v1, v2, v3, v4, v5)));
                if (next == null) {
                    return create(new Object[] {v0, v1, v2, v3, v4, v5});
                }
                node = next;
            }
            return (Leaf) node;
        }

        @SuppressWarnings("unchecked")
        private synchronized Leaf create(Object[] values) {
            String[] texts = new String[keyValues.length];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = labelText(values[keyValues[i]]);
            }
            List<Series> wanted = new ArrayList<>();
            for (FamilyRecorder family : families) {
                for (String[] series : family.baseSeries(keys, texts)) {
                    wanted.add(new Series(family.name, series));
                }
            }
            if (!limit.admit(wanted.toArray(new Series[0]))) {
                Leaf leaf = overflow;
                if (leaf == null) {
                    String[] overflowTexts = new String[keyValues.length];
                    Arrays.fill(overflowTexts, SeriesLimit.OVERFLOW);
                    overflow = leaf = new Leaf(this, overflowTexts, true);
                }
                return leaf;
            }
            Leaf leaf = new Leaf(this, texts, false);
            if (keyValues.length == 0) {
                single = leaf;
                return leaf;
            }
            // Creation is synchronized on the group, so plain puts cannot race each other; readers
            // see each level once it is complete. No lambdas: this runs on the application's thread.
            ConcurrentHashMap<Object, Object> node = root;
            for (int i = 0; i < keyValues.length - 1; i++) {
                Object key = key(values[keyValues[i]]);
                Object next = node.get(key);
                if (next == null) {
                    next = new ConcurrentHashMap<Object, Object>();
                    node.put(key, next);
                }
                node = (ConcurrentHashMap<Object, Object>) next;
            }
            Object key = key(values[keyValues[keyValues.length - 1]]);
            Object existing = node.get(key);
            if (existing != null) {
                return (Leaf) existing;
            }
            node.put(key, leaf);
            return leaf;
        }
    }

    /** The series of one combination of per-call values, for each family of a group. */
    private final class Leaf {
        final Group group;
        final String[] texts;
        final boolean overflow;
        final Cell[][] cells;
        /** Per family with an exception label: its failure series by exception class name. */
        final ConcurrentHashMap<String, Cell[]>[] byException;
        final Cell[][] exceptionOverflow;

        @SuppressWarnings("unchecked")
        Leaf(Group group, String[] texts, boolean overflow) {
            this.group = group;
            this.texts = texts;
            this.overflow = overflow;
            FamilyRecorder[] families = group.families;
            cells = new Cell[families.length][];
            byException = new ConcurrentHashMap[families.length];
            exceptionOverflow = new Cell[families.length][];
            for (int f = 0; f < families.length; f++) {
                cells[f] = cells(families[f], families[f].baseSeries(group.keys, texts));
                if (families[f].hasException) {
                    byException[f] = new ConcurrentHashMap<>();
                }
            }
        }

        private Cell[] cells(FamilyRecorder family, List<String[]> series) {
            Cell[] result = new Cell[series.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = family.family.series(series.get(i));
            }
            return result;
        }

        /**
         * The failure series of family {@code f} for one exception class, by its name, or for an
         * error type given as text ({@code type} {@code null}, {@code key} the text after
         * {@link #TEXT_KEY}): the method's failure condition's or its classification's.
         */
        Cell[] exceptionCells(int f, String key, Class<?> type) {
            Cell[] found = byException[f].get(key);
            return found != null ? found : newExceptionCells(f, key, type);
        }

        private Cell[] newExceptionCells(int f, String key, Class<?> type) {
            FamilyRecorder family = group.families[f];
            String exception = truncate(type == null ? key.substring(TEXT_KEY.length()) : exceptionName(type));
            List<String[]> series = family.exceptionSeries(group.keys, texts, exception);
            List<Series> wanted = new ArrayList<>();
            for (String[] labelValues : series) {
                wanted.add(new Series(family.name, labelValues));
            }
            if (!overflow && limit.admit(wanted.toArray(new Series[0]))) {
                Cell[] created = cells(family, series);
                Cell[] raced = byException[f].putIfAbsent(key, created);
                return raced != null ? raced : created;
            }
            if (!overflow) {
                limit.fold(family.name);
            }
            synchronized (this) {
                if (exceptionOverflow[f] == null) {
                    exceptionOverflow[f] = cells(family, family.exceptionSeries(group.keys, texts, SeriesLimit.OVERFLOW));
                }
                return exceptionOverflow[f];
            }
        }
    }
}
