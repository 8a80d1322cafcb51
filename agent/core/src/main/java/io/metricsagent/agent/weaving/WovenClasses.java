package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.bootstrap.MeterBridge;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorders each woven class registered, and the gauges it declared, by loader (held weakly)
 * and class name. When a class is woven again (its rules changed), what it declared before is
 * given up, so that a family no method records into any more can leave and one whose definition
 * changed can take its new shape; the old recorders stay registered with the bridge, as a call
 * that started in the old code still finishes recording into them. When a loader is collected
 * (a web app redeployed, a plugin unloaded), no code of its classes can run any more: what they
 * declared is given up, and every recorder they ever registered leaves the bridge, its id free
 * for the next deployment to take. That is seen at the next weaving or scrape. The classes the
 * transformer saw load are kept here too, by the same loader.
 */
final class WovenClasses {

    /** By loader: those of the bootstrap loader, which is never collected, under {@link #BOOTSTRAP}. */
    private final Map<Object, Loader> byLoader = new HashMap<>();
    private static final Object BOOTSTRAP = new Object();
    private final ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    private final AtomicInteger methods = new AtomicInteger();
    private final AgentMetrics metrics;

    WovenClasses(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param ids     the bridge's id of each of {@code recorders}
     * @param methods how many of the class's methods were woven with those recorders
     * @param gauges  the names of the gauges the class declared
     * @param byRule  which of those methods each configuration rule ({@link MethodRule}) wove, and
     *                each configured gauge ({@link io.metricsagent.agent.description.GaugeRule}) reads, by name
     */
    void woven(ClassLoader loader, String className, List<MeterBridge.Recorder> recorders, List<Integer> ids,
               int methods, List<String> gauges, Map<Object, List<String>> byRule) {
        releaseCollected();
        synchronized (byLoader) {
            Loader classes = tableOf(loader);
            classes.classes.put(className, new Registration(recorders, methods, gauges, byRule));
            classes.ids.addAll(ids);
        }
        this.methods.addAndGet(methods);
    }

    /** Notes that the transformer saw the class load; see {@link #sawLoading}. */
    void seenLoading(ClassLoader loader, String internalName) {
        releaseCollected();
        synchronized (byLoader) {
            tableOf(loader).seen.add(internalName);
        }
    }

    /**
     * Whether the transformer saw the class load (and so wove it, or tried to): a class that
     * loads while the classes loaded before an attach are being found is woven as it loads, and
     * must not be woven a second time by the retransformation.
     */
    boolean sawLoading(ClassLoader loader, String internalName) {
        synchronized (byLoader) {
            Loader classes = byLoader.get(loader == null ? BOOTSTRAP : new LoaderKey(loader, null));
            return classes != null && classes.seen.contains(internalName);
        }
    }

    private Loader tableOf(ClassLoader loader) {
        // No lambda: this runs on the application's thread as its classes load.
        Loader classes = byLoader.get(loader == null ? BOOTSTRAP : new LoaderKey(loader, null));
        if (classes == null) {
            classes = new Loader();
            byLoader.put(loader == null ? BOOTSTRAP : new LoaderKey(loader, collected), classes);
        }
        return classes;
    }

    /** Methods woven so far in classes whose loader is alive, counted once their class's weaving succeeded. */
    int methods() {
        releaseCollected();
        return this.methods.get();
    }

    /**
     * How many methods each rule or configured gauge has woven in the classes woven now, in every
     * live loader; one equal to the rule that wove them (a reload keeps such a rule's classes)
     * finds them too. Read at every scrape: counted, not named.
     */
    Map<Object, Integer> methodsByRule() {
        releaseCollected();
        Map<Object, Integer> methods = new HashMap<>();
        synchronized (byLoader) {
            for (Loader loader : byLoader.values()) {
                for (Registration registration : loader.classes.values()) {
                    registration.byRule.forEach((rule, names) -> methods.merge(rule, names.size(), Integer::sum));
                }
            }
        }
        return methods;
    }

    /**
     * The methods {@link #methodsByRule()} counts, named {@code com.example.Gateway.charge}: a
     * class in two loaders lists its methods twice.
     */
    Map<Object, List<String>> methodNamesByRule() {
        releaseCollected();
        Map<Object, List<String>> methods = new HashMap<>();
        synchronized (byLoader) {
            for (Loader loader : byLoader.values()) {
                loader.classes.forEach((className, registration) -> registration.byRule.forEach((rule, names) -> {
                    List<String> woven = methods.computeIfAbsent(rule, r -> new ArrayList<>());
                    for (String name : names) {
                        woven.add(className.replace('/', '.') + "." + name);
                    }
                }));
            }
        }
        return methods;
    }

    /** Gives up what the class declared when it was last woven, if it was, and its methods' count. */
    void release(ClassLoader loader, String className) {
        Registration registration;
        synchronized (byLoader) {
            Loader classes = byLoader.get(loader == null ? BOOTSTRAP : new LoaderKey(loader, null));
            registration = classes == null ? null : classes.classes.remove(className);
        }
        if (registration != null) {
            release(registration);
        }
    }

    private void release(Registration registration) {
        for (MeterBridge.Recorder recorder : registration.recorders) {
            metrics.release(recorder);
        }
        metrics.releaseGauges(registration.gauges);
        methods.addAndGet(-registration.methods);
    }

    /** Gives up what the classes of collected loaders declared and registered. */
    private void releaseCollected() {
        // A poll that finds nothing takes no lock: this runs at every weaving and scrape.
        Reference<? extends ClassLoader> gone = collected.poll();
        if (gone == null) {
            return;
        }
        List<Loader> released = new ArrayList<>();
        synchronized (byLoader) {
            for (; gone != null; gone = collected.poll()) {
                Loader loader = byLoader.remove(gone);
                if (loader != null) {
                    released.add(loader);
                }
            }
        }
        for (Loader loader : released) {
            for (Registration registration : loader.classes.values()) {
                release(registration);
            }
            int[] ids = new int[loader.ids.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = loader.ids.get(i);
            }
            MeterBridge.retire(ids);
        }
        metrics.gauges().dropCollected();
        Supertypes.forgetCollected();
    }

    /** What the classes of one loader registered, and which of them the transformer saw load. */
    private static final class Loader {
        final Map<String, Registration> classes = new HashMap<>();
        final Set<String> seen = new HashSet<>();
        /** Every recorder id its classes took, those of earlier weavings of a class too. */
        final List<Integer> ids = new ArrayList<>();
    }

    private static final class Registration {
        final List<MeterBridge.Recorder> recorders;
        final int methods;
        final List<String> gauges;
        final Map<Object, List<String>> byRule;

        Registration(List<MeterBridge.Recorder> recorders, int methods, List<String> gauges,
                     Map<Object, List<String>> byRule) {
            this.recorders = recorders;
            this.methods = methods;
            this.gauges = gauges;
            this.byRule = byRule;
        }
    }

    /**
     * A loader held weakly, equal to another for the same loader by identity: the key a loader's
     * table is kept under (with the queue), and the one it is looked up with (without).
     */
    private static final class LoaderKey extends WeakReference<ClassLoader> {
        private final int hash;

        LoaderKey(ClassLoader loader, ReferenceQueue<ClassLoader> queue) {
            super(loader, queue);
            hash = System.identityHashCode(loader);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof LoaderKey)) {
                return false;
            }
            ClassLoader loader = get();
            return loader != null && loader == ((LoaderKey) other).get();
        }
    }
}
