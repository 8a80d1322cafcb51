package io.metricsagent.agent.metrics;

import io.metricsagent.agent.metrics.SeriesLimit.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The series of one method's families whose per-call labels come from the same values, found by
 * those values themselves: one map per value, nested, keyed by the value, ending in a
 * {@link Leaf} that holds every series of those families a call with those values can land in.
 * A call costs one map read per value, with no label arrays built and nothing allocated once its
 * values have been seen. Values beyond the series bound go to the tree's overflow leaf and are
 * not cached, so the maps stay as bounded as the metrics.
 *
 * <p>Nothing here holds an application class: values are keyed by their text unless they are
 * strings or boxed primitives, and exceptions by their class name or the error type given as text.
 */
final class SeriesTree {

    private static final Object NULL_KEY = new Object();
    /**
     * Starts the key of an error type given as text; no class's name contains ';' (JVMS 4.2.1),
     * so such a key never meets an exception's class name.
     */
    static final String TEXT_KEY = ";";

    final List<Integer> keys;
    private final int[] keyValues;
    final FamilySeries[] families;
    private final SeriesLimit limit;
    private final int maxLabelLength;
    /** With no keys: the one leaf, once admitted. Else nested maps, one level per key, then leaves. */
    private volatile Leaf single;
    private final ConcurrentHashMap<Object, Object> root = new ConcurrentHashMap<>();
    private volatile Leaf overflow;

    SeriesTree(List<Integer> keys, FamilySeries[] families, SeriesLimit limit, int maxLabelLength) {
        this.keys = keys;
        this.families = families;
        this.limit = limit;
        this.maxLabelLength = maxLabelLength;
        keyValues = new int[keys.size()];
        for (int i = 0; i < keyValues.length; i++) {
            keyValues[i] = keys.get(i);
        }
    }

    /** The leaf of a call's values, created (and admitted under the series bound) on first sight. */
    Leaf find(Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        if (keyValues.length == 0) {
            Leaf leaf = single;
            return leaf != null ? leaf : create(v0, v1, v2, v3, v4, v5);
        }
        Object node = root;
        for (int key : keyValues) {
            @SuppressWarnings("unchecked")
            Object next = ((ConcurrentHashMap<Object, Object>) node).get(
                    key(MethodRecorder.value(key, v0, v1, v2, v3, v4, v5)));
            if (next == null) {
                return create(v0, v1, v2, v3, v4, v5);
            }
            node = next;
        }
        return (Leaf) node;
    }

    // The values' array is built here, not in find(), so that find() compiles small enough for
    // the JIT to inline it into the recorder.
    private Leaf create(Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        return create(new Object[] {v0, v1, v2, v3, v4, v5});
    }

    // Strings and boxed primitives are immutable classes of the JDK, so they can key a map
    // themselves; anything else (an enum, an application object) is keyed by its text, so that
    // the map never holds the application's classes.
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

    @SuppressWarnings("unchecked")
    private synchronized Leaf create(Object[] values) {
        String[] texts = new String[keyValues.length];
        for (int i = 0; i < texts.length; i++) {
            Object value = values[keyValues[i]];
            texts[i] = value == null ? MethodRecorder.UNKNOWN : MethodRecorder.truncate(value.toString(), maxLabelLength);
        }
        List<Series> wanted = new ArrayList<>();
        for (FamilySeries family : families) {
            for (String[] series : family.baseSeries(keys, texts)) {
                wanted.add(new Series(family.name, series));
            }
        }
        if (!limit.admit(wanted.toArray(new Series[0]))) {
            Leaf leaf = overflow;
            if (leaf == null) {
                String[] overflowTexts = new String[keyValues.length];
                Arrays.fill(overflowTexts, SeriesLimit.OVERFLOW);
                overflow = leaf = new Leaf(overflowTexts, true);
            }
            return leaf;
        }
        Leaf leaf = new Leaf(texts, false);
        if (keyValues.length == 0) {
            single = leaf;
            return leaf;
        }
        // Creation is synchronized on the tree, so plain puts cannot race each other; readers
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

    /** The series of one combination of per-call values, for each family of the tree. */
    final class Leaf {
        private final String[] texts;
        final boolean overflow;
        /** By family: the series of its {@link FamilySeries#baseSeries}. */
        final Cell[][] cells;
        /** Per family with an exception label: its failure series by exception class name. */
        private final ConcurrentHashMap<String, Cell[]>[] byException;
        private final Cell[][] exceptionOverflow;

        @SuppressWarnings("unchecked")
        Leaf(String[] texts, boolean overflow) {
            this.texts = texts;
            this.overflow = overflow;
            cells = new Cell[families.length][];
            byException = new ConcurrentHashMap[families.length];
            exceptionOverflow = new Cell[families.length][];
            for (int f = 0; f < families.length; f++) {
                cells[f] = cells(families[f], families[f].baseSeries(keys, texts));
                if (families[f].hasException) {
                    byException[f] = new ConcurrentHashMap<>();
                }
            }
        }

        private Cell[] cells(FamilySeries family, List<String[]> series) {
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
            FamilySeries family = families[f];
            String exception = MethodRecorder.truncate(type == null ? key.substring(TEXT_KEY.length()) : family.exceptionName(type),
                    maxLabelLength);
            List<String[]> series = family.exceptionSeries(keys, texts, exception);
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
                    exceptionOverflow[f] = cells(family, family.exceptionSeries(keys, texts, SeriesLimit.OVERFLOW));
                }
                return exceptionOverflow[f];
            }
        }
    }
}
