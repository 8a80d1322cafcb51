package io.metricsagent.agent.metrics;

import io.metricsagent.agent.report.AgentLog;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The reflective side of the gauges: resolves a gauge class's accessors and label paths on each
 * class that has them, calls them at scrape time and sums equal label sets, within
 * {@code max_series} label sets a gauge and {@code max_label_length}. Counts what it could not
 * read: those counts are the agent's own, so scratch metrics have their own reader.
 */
final class AccessorReader {

    private final LongAdder failures = new LongAdder();
    private final Map<String, LongAdder> unknownLabels = new ConcurrentHashMap<>();
    private final int maxSeries;
    private final int maxLabelLength;

    AccessorReader(int maxSeries, int maxLabelLength) {
        this.maxSeries = maxSeries;
        this.maxLabelLength = maxLabelLength;
    }

    /** Accessor reads that failed (threw, or could not be found) and were left out of a scrape. */
    long failures() {
        return failures.sum();
    }

    /** Counts a gauge family left out of a scrape. */
    void failed() {
        failures.increment();
    }

    /**
     * Label reads from instances that gave {@code unknown}, by gauge: the path met {@code null},
     * a getter or {@code toString()} threw, or the path does not resolve on the instance's class.
     */
    Map<String, Long> unknownLabels() {
        Map<String, Long> counts = new TreeMap<>();
        unknownLabels.forEach((gauge, count) -> counts.put(gauge, count.sum()));
        return counts;
    }

    /** One gauge family's values in a scrape, by label set. */
    static final class Family {
        final String help;
        final Map<Labels, Double> values = new LinkedHashMap<>();

        Family(String help) {
            this.help = help;
        }
    }

    /** One scrape's values, by family. */
    static final class Scrape {
        final Map<String, Family> families = new LinkedHashMap<>();
    }

    /** The accessors to call on an object of one class, resolved once per class. */
    static final class Accessors {
        static final Accessors NONE = new Accessors(new Method[0], new InstancePath[0], new InstancePath[0][], false);

        /** By accessor: the method to call; {@code null} for a value, or a method that could not be found. */
        final Method[] methods;
        /** By accessor: the path of a value; {@code null} for a method, or a path that does not resolve. */
        final InstancePath[] values;
        /** By accessor, by label: its path into the object; {@code null} for a constant, or a path that does not resolve. */
        final InstancePath[][] labelPaths;
        /** The object's class is a subclass of the gauge's class that was generated at run time. */
        final boolean generated;

        Accessors(Method[] methods, InstancePath[] values, InstancePath[][] labelPaths, boolean generated) {
            this.methods = methods;
            this.values = values;
            this.labelPaths = labelPaths;
            this.generated = generated;
        }
    }

    /** What to call on objects of {@code type}: the class named {@code className} or a subclass of it. */
    Accessors resolve(String className, List<GaugeSpec> specs, Class<?> type) {
        Class<?> declaring = type;
        while (declaring != null && !declaring.getName().equals(className)) {
            declaring = declaring.getSuperclass();
        }
        if (declaring == null) {
            return Accessors.NONE;
        }
        Method[] methods = new Method[specs.size()];
        InstancePath[] values = new InstancePath[specs.size()];
        InstancePath[][] labelPaths = new InstancePath[specs.size()][];
        for (int i = 0; i < methods.length; i++) {
            GaugeSpec spec = specs.get(i);
            if (spec.valuePath != null) {
                values[i] = valuePath(spec, type);
            } else {
                try {
                    Method m = declaring.getDeclaredMethod(spec.methodName);
                    m.setAccessible(true);
                    methods[i] = m;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    failures.increment();
                }
            }
            labelPaths[i] = labelPaths(spec, type);
        }
        return new Accessors(methods, values, labelPaths, declaring != type && generatedAtRunTime(type));
    }

    /** The gauge's value path resolved on {@code type}; one that does not resolve is one line, and the gauge left out of scrapes. */
    private InstancePath valuePath(GaugeSpec spec, Class<?> type) {
        try {
            return InstancePath.resolve(type, spec.valuePath);
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            failures.increment();
            AgentLog.info("gauge " + spec.name + ": value this." + String.join(".", spec.valuePath) + " is not read on "
                    + type.getName() + ": " + (e instanceof IllegalArgumentException ? e.getMessage() : AgentLog.describe(e)));
            return null;
        }
    }

    /** The gauge's label paths resolved on {@code type}; one that does not resolve is one line, and its label {@code unknown}. */
    private static InstancePath[] labelPaths(GaugeSpec spec, Class<?> type) {
        List<String> names = spec.labelNames();
        InstancePath[] paths = new InstancePath[names.size()];
        for (int i = 0; i < paths.length; i++) {
            List<String> path = spec.path(i);
            if (path == null) {
                continue;
            }
            try {
                paths[i] = InstancePath.resolve(type, path);
            } catch (IllegalArgumentException | LinkageError | SecurityException e) {
                AgentLog.info("gauge " + spec.name + ": label " + names.get(i) + " (this." + String.join(".", path)
                        + ") is unknown on " + type.getName() + ": " + (e instanceof IllegalArgumentException
                        ? e.getMessage() : AgentLog.describe(e)));
            }
        }
        return paths;
    }

    /** Adds what the accessors read on {@code target} ({@code null} for static ones) to the scrape's values. */
    void add(Scrape scrape, List<GaugeSpec> specs, Accessors accessors, Object target) {
        for (int i = 0; i < accessors.methods.length; i++) {
            if (accessors.methods[i] == null && accessors.values[i] == null) {
                continue;
            }
            double value;
            try {
                value = toDouble(accessors.methods[i] != null ? accessors.methods[i].invoke(target)
                        : accessors.values[i].read(target));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                failures.increment();
                continue;
            }
            if (Double.isNaN(value)) {
                continue;
            }
            GaugeSpec spec = specs.get(i);
            Family family = scrape.families.computeIfAbsent(spec.name, n -> new Family(spec.help));
            Labels labels = spec.readsInstance()
                    ? instanceLabels(family, spec, accessors.labelPaths[i], target) : spec.labels();
            family.values.merge(labels, value, Double::sum);
        }
    }

    /**
     * The instance's labels; beyond {@code max_series} label sets in the family, those of the
     * overflow series, where labels read from instances are {@value SeriesLimit#OVERFLOW}, as a
     * recorder's are.
     */
    private Labels instanceLabels(Family family, GaugeSpec spec, InstancePath[] paths,
                                         Object target) {
        String[] values = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            if (spec.path(i) != null) {
                values[i] = labelValue(spec, paths[i], target);
            }
        }
        Labels labels = spec.labels(values);
        if (family.values.size() < maxSeries || family.values.containsKey(labels)) {
            return labels;
        }
        for (int i = 0; i < paths.length; i++) {
            if (spec.path(i) != null) {
                values[i] = SeriesLimit.OVERFLOW;
            }
        }
        return spec.labels(values);
    }

    private String labelValue(GaugeSpec spec, InstancePath path, Object target) {
        String text = null;
        if (path != null) {
            try {
                Object value = path.read(target);
                text = value == null ? null : value.toString();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // unknown, and counted as every unknown label is
            }
        }
        if (text == null) {
            unknownLabels.computeIfAbsent(spec.name, gauge -> new LongAdder()).increment();
            return MethodRecorder.UNKNOWN;
        }
        return MethodRecorder.truncate(text, maxLabelLength);
    }

    private static double toDouble(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? 1 : 0;
        }
        return Double.NaN;
    }

    /**
     * Whether {@code type} was made at run time rather than compiled: its loader has no class file
     * for it (proxy libraries, CGLIB, ByteBuddy, Javassist, define bytes made in memory), or its
     * name has the {@code $$} such libraries put in their names (Spring's own test for a
     * generated class, which also holds for the proxies Spring AOT writes to disk ahead of time).
     * A subclass compiled from source, an anonymous one too, has a class file and no {@code $$}.
     */
    private static boolean generatedAtRunTime(Class<?> type) {
        String name = type.getName();
        if (name.contains("$$")) {
            return true;
        }
        ClassLoader loader = type.getClassLoader();
        try {
            return loader != null && loader.getResource(name.replace('.', '/') + ".class") == null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
