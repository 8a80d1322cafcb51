package io.metricsagent.agent.metrics;

import io.metricsagent.bootstrap.GaugeBridge;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves the {@code @MeteredGauge} accessors: at each scrape it calls them on the live instances
 * of their classes (or once, for static ones) and sums the values of equal label sets. Reading
 * at scrape time means the gauge is as fresh as the scrape and costs the application nothing
 * between scrapes.
 */
public final class GaugeMetrics implements MultiCollector {

    private static final LongAdder FAILURES = new LongAdder();

    private final List<Source> sources = new CopyOnWriteArrayList<>();

    /** Accessor reads that failed (threw, or could not be found) and were left out of a scrape. */
    public static long failures() {
        return FAILURES.sum();
    }

    /**
     * Registers the instance accessors of a class about to be woven.
     *
     * @return the id its constructor advice passes to {@link GaugeBridge#track}
     */
    public int addInstanceGauges(String className, List<GaugeSpec> specs) {
        InstanceSource source = new InstanceSource(className, specs);
        sources.add(source);
        return GaugeBridge.register(source);
    }

    /**
     * Registers the static accessors of a class about to be woven; a class woven again (on
     * retransformation) keeps its first registration, so it is not read twice.
     */
    public synchronized void addStaticGauges(ClassLoader loader, String className, List<GaugeSpec> specs) {
        for (Source source : sources) {
            if (source instanceof StaticSource && ((StaticSource) source).isFor(loader, className)) {
                return;
            }
        }
        sources.add(new StaticSource(loader, className, specs));
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        for (Source source : sources) {
            source.read(families);
        }
        MetricSnapshots.Builder result = MetricSnapshots.builder();
        for (Map.Entry<String, Family> family : families.entrySet()) {
            // One bad family (an invalid name, a name another family has) must not fail the scrape.
            try {
                GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.getKey()).help(family.getValue().help);
                for (Map.Entry<Labels, Double> point : family.getValue().values.entrySet()) {
                    gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(point.getKey()).value(point.getValue()).build());
                }
                result.metricSnapshot(gauge.build());
            } catch (RuntimeException e) {
                FAILURES.increment();
            }
        }
        return result.build();
    }

    private static final class Family {
        final String help;
        final Map<Labels, Double> values = new LinkedHashMap<>();

        Family(String help) {
            this.help = help;
        }
    }

    private abstract static class Source {
        final String className;
        final List<GaugeSpec> specs;
        // Resolved on the first scrape, not when woven: the class is not defined yet then.
        private volatile Method[] accessors;

        Source(String className, List<GaugeSpec> specs) {
            this.className = className;
            this.specs = specs;
        }

        abstract void read(Map<String, Family> families);

        Method[] accessors(Class<?> declaring) {
            Method[] resolved = accessors;
            if (resolved == null) {
                resolved = new Method[specs.size()];
                for (int i = 0; i < resolved.length; i++) {
                    try {
                        Method m = declaring.getDeclaredMethod(specs.get(i).methodName);
                        m.setAccessible(true);
                        resolved[i] = m;
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        FAILURES.increment();
                        resolved[i] = null;
                    }
                }
                accessors = resolved;
            }
            return resolved;
        }

        void add(Map<String, Family> families, Method[] accessors, Object target) {
            for (int i = 0; i < accessors.length; i++) {
                if (accessors[i] == null) {
                    continue;
                }
                double value;
                try {
                    value = toDouble(accessors[i].invoke(target));
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    FAILURES.increment();
                    continue;
                }
                if (Double.isNaN(value)) {
                    continue;
                }
                GaugeSpec spec = specs.get(i);
                families.computeIfAbsent(spec.name, n -> new Family(spec.help)).values.merge(spec.labels, value, Double::sum);
            }
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
    }

    /** Instance accessors: every live instance is tracked weakly from its constructor. */
    private static final class InstanceSource extends Source implements GaugeBridge.Tracker {
        private final ConcurrentLinkedQueue<WeakReference<Object>> instances = new ConcurrentLinkedQueue<>();

        InstanceSource(String className, List<GaugeSpec> specs) {
            super(className, specs);
        }

        @Override
        public void track(Object instance) {
            instances.add(new WeakReference<>(instance));
        }

        @Override
        void read(Map<String, Family> families) {
            // A constructor chaining to this(...) tracks its instance twice; count it once.
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Iterator<WeakReference<Object>> it = instances.iterator(); it.hasNext(); ) {
                Object instance = it.next().get();
                if (instance == null || !seen.add(instance)) {
                    it.remove();
                    continue;
                }
                Class<?> declaring = declaringClass(instance.getClass());
                if (declaring != null) {
                    add(families, accessors(declaring), instance);
                }
            }
        }

        private Class<?> declaringClass(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(className)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** Static accessors: read from the class, found again through its (weakly held) loader. */
    private static final class StaticSource extends Source {
        private final WeakReference<ClassLoader> loader;

        StaticSource(ClassLoader loader, String className, List<GaugeSpec> specs) {
            super(className, specs);
            this.loader = new WeakReference<>(loader);
        }

        boolean isFor(ClassLoader classLoader, String name) {
            return loader.get() == classLoader && className.equals(name);
        }

        @Override
        void read(Map<String, Family> families) {
            ClassLoader classLoader = loader.get();
            if (classLoader == null) {
                return;
            }
            Class<?> declaring;
            try {
                declaring = Class.forName(className, false, classLoader);
            } catch (ClassNotFoundException | LinkageError e) {
                return;
            }
            add(families, accessors(declaring), null);
        }
    }
}
