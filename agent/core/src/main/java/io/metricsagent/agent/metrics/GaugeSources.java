package io.metricsagent.agent.metrics;

import io.metricsagent.bootstrap.GaugeBridge;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sources of the gauges ({@code @MeteredGauge}, and the configuration file's gauges): the
 * classes whose accessors are in force and the live instances of each, tracked from their
 * constructors. At each scrape {@link AccessorReader} calls the accessors on those instances (or
 * once, for static ones) and sums the values of equal label sets, one series per label set, not
 * per instance: labels read from the instances ({@code this.poolName}) give one series per pool,
 * instances that read the same labels share one. Reading at scrape time means the gauge is as fresh as the scrape and costs
 * the application nothing between scrapes.
 *
 * <p>Nothing here holds an application's class, loader or instance strongly, so that a plugin or
 * a web application that is unloaded is collected as it would be without the agent, and its
 * gauges leave {@code /metrics}: instances are held weakly, a static accessor's class is found
 * again through its weakly held loader, and resolved accessors are kept on the class itself
 * ({@link ClassValue}), so they go when it goes.
 */
public final class GaugeSources implements MultiCollector {

    /** How many instances made before their class was woven each class's gauges learn from their calls. */
    static final int LEARNED_MAX = 16;

    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final AccessorReader reader;

    /**
     * @param maxSeries      how many label sets a gauge with labels from the instances may have in one scrape
     * @param maxLabelLength where label values read from instances are cut
     */
    public GaugeSources(int maxSeries, int maxLabelLength) {
        reader = new AccessorReader(maxSeries, maxLabelLength);
    }

    /** Accessor reads that failed (threw, or could not be found) and were left out of a scrape. */
    public long failures() {
        return reader.failures();
    }

    /**
     * Label reads from instances that gave {@code unknown}, by gauge: the path met {@code null},
     * a getter or {@code toString()} threw, or the path does not resolve on the instance's class.
     */
    public Map<String, Long> unknownLabels() {
        return reader.unknownLabels();
    }

    /**
     * Puts the instance accessors of a class being woven in force. A class woven again in the
     * same loader (a retransformation) has its accessors replaced, not added to: the instances
     * tracked so far are read with the new ones, and an empty list stops reading them.
     *
     * @return the id its constructor advice passes to {@link GaugeBridge#track}, the same for
     *         every weaving of the class in that loader; -1 when {@code specs} is empty
     */
    public synchronized int setInstanceGauges(ClassLoader loader, String className, List<GaugeSpec> specs) {
        for (Source source : sources) {
            if (source instanceof InstanceSource && source.isFor(loader, className)) {
                source.use(specs);
                return specs.isEmpty() ? -1 : ((InstanceSource) source).id;
            }
        }
        if (specs.isEmpty()) {
            return -1;
        }
        InstanceSource source = new InstanceSource(reader, loader, className, specs);
        sources.add(source);
        return source.id;
    }

    /**
     * Puts the static accessors of a class being woven in force, in place of those an earlier
     * weaving of the same class in the same loader put (a retransformation), so that none is
     * read twice or after its gauge is gone; an empty list leaves none.
     */
    public synchronized void setStaticGauges(ClassLoader loader, String className, List<GaugeSpec> specs) {
        for (Source source : sources) {
            if (source instanceof StaticSource && source.isFor(loader, className)) {
                if (specs.isEmpty()) {
                    sources.remove(source);
                } else {
                    source.use(specs);
                }
                return;
            }
        }
        if (!specs.isEmpty()) {
            sources.add(new StaticSource(reader, loader, className, specs));
        }
    }

    /** Stops reading the gauges of a class that is no longer woven (as when its weaving is undone). */
    public void forget(ClassLoader loader, String className) {
        setStaticGauges(loader, className, List.of());
        setInstanceGauges(loader, className, List.of());
    }

    /** References to instances held for the instance accessors, collected ones not yet dropped included. */
    int instancesHeld() {
        int held = 0;
        for (Source source : sources) {
            if (source instanceof InstanceSource) {
                held += ((InstanceSource) source).held.get();
            }
        }
        return held;
    }

    /**
     * Drops the sources of classes whose loader was collected, and gives their constructors'
     * tracker ids back to the bridge: no code of theirs can run any more.
     */
    public void dropCollected() {
        for (Source source : sources) {
            if (source.loader() == null) {
                drop(source);
            }
        }
    }

    private synchronized void drop(Source source) {
        if (sources.remove(source) && source instanceof InstanceSource) {
            GaugeBridge.retire(((InstanceSource) source).id);
        }
    }

    @Override
    public MetricSnapshots collect() {
        AccessorReader.Scrape scrape = new AccessorReader.Scrape();
        for (Source source : sources) {
            if (!source.read(scrape)) {
                drop(source);
            }
        }
        MetricSnapshots.Builder result = MetricSnapshots.builder();
        for (Map.Entry<String, AccessorReader.Family> family : scrape.families.entrySet()) {
            // One bad family (an invalid name, a name another family has) must not fail the scrape.
            try {
                GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.getKey()).help(family.getValue().help);
                for (Map.Entry<Labels, Double> point : family.getValue().values.entrySet()) {
                    gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(point.getKey()).value(point.getValue()).build());
                }
                result.metricSnapshot(gauge.build());
            } catch (RuntimeException e) {
                reader.failed();
            }
        }
        return result.build();
    }

    /** The accessors of one class in force, and what they resolve to on each class that has them. */
    private static final class Gauges {
        final List<GaugeSpec> specs;
        // On the class, not in a field here: a Method holds its class and so its loader. The
        // accessors of a subclass's instances are its superclass's methods, which it holds anyway.
        final ClassValue<AccessorReader.Accessors> accessors;
        final AccessorReader reader;

        Gauges(AccessorReader reader, String className, List<GaugeSpec> specs) {
            this.reader = reader;
            this.specs = List.copyOf(specs);
            accessors = new ClassValue<>() {
                @Override
                protected AccessorReader.Accessors computeValue(Class<?> type) {
                    return reader.resolve(className, Gauges.this.specs, type);
                }
            };
        }

        void add(AccessorReader.Scrape scrape, Object target, Class<?> type) {
            reader.add(scrape, specs, accessors.get(type), target);
        }
    }

    private abstract static class Source {
        final String className;
        private final WeakReference<ClassLoader> loader;
        private final AccessorReader reader;
        // Replaced whole when the class is woven again, so that a scrape reads one set or the other.
        private volatile Gauges gauges;

        Source(AccessorReader reader, ClassLoader loader, String className, List<GaugeSpec> specs) {
            this.reader = reader;
            this.loader = new WeakReference<>(loader);
            this.className = className;
            gauges = new Gauges(reader, className, specs);
        }

        boolean isFor(ClassLoader classLoader, String name) {
            return loader.get() == classLoader && className.equals(name);
        }

        void use(List<GaugeSpec> specs) {
            gauges = new Gauges(reader, className, specs);
        }

        Gauges gauges() {
            return gauges;
        }

        /** The class's loader, or {@code null} once it has been collected. */
        ClassLoader loader() {
            return loader.get();
        }

        /**
         * Adds this source's values to the scrape's.
         *
         * @return false once its class is gone for good
         */
        abstract boolean read(AccessorReader.Scrape scrape);
    }

    /**
     * Instance accessors: every live instance is tracked weakly from its constructor.
     *
     * <p>A subclass made at run time is a proxy's class in practice, and a proxy that a framework
     * creates through its constructor (Spring's CGLIB proxies with {@code spring.objenesis.ignore},
     * Weld's client proxies, Hibernate's lazy proxies) is tracked like any instance. Its accessors
     * either forward to its target, which is tracked itself, so the value would count twice, or,
     * those it cannot intercept (private, final), read the proxy's own fields, which nothing uses.
     * The rule: while an instance of a compiled class is live, instances of run-time subclasses
     * are not read. A proxy keeps its target alive, so whenever a proxy is live a compiled
     * instance is too; and when only run-time subclasses are live, they are no proxies but the
     * objects themselves, enhanced in place (a Spring {@code @Configuration} class, a CDI bean
     * whose interceptors are woven into a subclass), and are read.
     */
    private static final class InstanceSource extends Source implements GaugeBridge.Tracker {
        // Without a scrape to drop the collected ones, the references would pile up: tracking
        // prunes them itself once their number has doubled since the last pruning, so a
        // constructor pays O(1) amortised, and at most twice the instances still uncollected at
        // the last pruning (or PRUNE_FLOOR) are held.
        private static final int PRUNE_FLOOR = 64;

        private final ConcurrentLinkedQueue<WeakReference<Object>> instances = new ConcurrentLinkedQueue<>();
        final AtomicInteger held = new AtomicInteger();
        /** Taken by the one thread that unlinks references; the others read on or skip pruning. */
        private final AtomicBoolean pruning = new AtomicBoolean();
        private volatile int pruneAt = PRUNE_FLOOR;
        /** What its class's constructors pass to {@link GaugeBridge#track}. */
        final int id;
        /**
         * The instances learned from their calls ({@link GaugeBridge#seen}), at most
         * {@link #LEARNED_MAX}: each call compares its instance with these, and learns it the
         * first time. Instances made before the class was woven are few where gauges are read
         * from instances (pools, caches, queues); past the bound, more are not learned.
         */
        private volatile WeakReference<?>[] learned = new WeakReference<?>[0];

        InstanceSource(AccessorReader reader, ClassLoader loader, String className, List<GaugeSpec> specs) {
            super(reader, loader, className, specs);
            id = GaugeBridge.register(this);
        }

        @Override
        public void track(Object instance) {
            instances.add(new WeakReference<>(instance));
            if (held.incrementAndGet() >= pruneAt && pruning.compareAndSet(false, true)) {
                try {
                    for (Iterator<WeakReference<Object>> it = instances.iterator(); it.hasNext(); ) {
                        if (it.next().get() == null) {
                            it.remove();
                            held.decrementAndGet();
                        }
                    }
                    pruneAt = Math.max(PRUNE_FLOOR, 2 * held.get());
                } finally {
                    pruning.set(false);
                }
            }
        }

        @Override
        public void seen(Object instance) {
            WeakReference<?>[] known = learned;
            for (WeakReference<?> reference : known) {
                if (reference.get() == instance) {
                    return;
                }
            }
            if (known.length < LEARNED_MAX) {
                learn(instance);
            }
        }

        private synchronized void learn(Object instance) {
            List<WeakReference<?>> kept = new ArrayList<>();
            for (WeakReference<?> known : learned) {
                Object live = known.get();
                if (live == instance) {
                    return;
                }
                if (live != null) {
                    kept.add(known);
                }
            }
            if (kept.size() < LEARNED_MAX) {
                // Tracked as a constructor would have: read() counts an instance tracked twice once.
                kept.add(new WeakReference<>(instance));
                track(instance);
            }
            learned = kept.toArray(new WeakReference<?>[0]);
        }

        @Override
        boolean read(AccessorReader.Scrape scrape) {
            if (loader() == null) {
                // Every instance went before its loader could: nothing is left to read or track.
                return false;
            }
            Gauges gauges = gauges();
            boolean prune = pruning.compareAndSet(false, true);
            List<Object> compiled = new ArrayList<>();
            List<Object> generated = new ArrayList<>();
            try {
                // A constructor chaining to this(...) tracks its instance twice; count it once.
                Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Iterator<WeakReference<Object>> it = instances.iterator(); it.hasNext(); ) {
                    Object instance = it.next().get();
                    if (instance != null && seen.add(instance)) {
                        (gauges.accessors.get(instance.getClass()).generated ? generated : compiled).add(instance);
                    } else if (prune) {
                        it.remove();
                        held.decrementAndGet();
                    }
                }
            } finally {
                if (prune) {
                    pruneAt = Math.max(PRUNE_FLOOR, 2 * held.get());
                    pruning.set(false);
                }
            }
            for (Object instance : compiled.isEmpty() ? generated : compiled) {
                gauges.add(scrape, instance, instance.getClass());
            }
            return true;
        }
    }

    /** Static accessors: read from the class, found again through its (weakly held) loader. */
    private static final class StaticSource extends Source {

        StaticSource(AccessorReader reader, ClassLoader loader, String className, List<GaugeSpec> specs) {
            super(reader, loader, className, specs);
        }

        @Override
        boolean read(AccessorReader.Scrape scrape) {
            ClassLoader classLoader = loader();
            if (classLoader == null) {
                return false;
            }
            Class<?> declaring;
            try {
                declaring = Class.forName(className, false, classLoader);
            } catch (ClassNotFoundException | LinkageError e) {
                return true;
            }
            gauges().add(scrape, null, declaring);
            return true;
        }
    }
}
