package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorders each woven class registered, and the gauges it declared, by loader (held weakly) and class name: when a class
 * is woven again (its rules changed), what it declared before is given up, so that a family no
 * method records into any more can leave and one whose definition changed can take its new shape.
 * The old recorders stay registered with the bridge: a call that started in the old code still
 * finishes recording into them.
 */
final class WovenClasses {

    private final Map<ClassLoader, Map<String, Registration>> byLoader = new WeakHashMap<>();
    private final AtomicInteger methods = new AtomicInteger();
    private final AgentMetrics metrics;

    WovenClasses(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param methods how many of the class's methods were woven with those recorders
     * @param gauges  the names of the gauges the class declared
     * @param byRule  which of those methods each configuration rule ({@link MethodRule}) wove, and
     *                each configured gauge ({@link io.metricsagent.agent.description.GaugeRule}) reads, by name
     */
    void woven(ClassLoader loader, String className, List<MeterBridge.Recorder> recorders, int methods,
                      List<String> gauges, Map<Object, List<String>> byRule) {
        synchronized (byLoader) {
            // No lambda: this runs on the application's thread as its classes load.
            Map<String, Registration> classes = byLoader.get(loader);
            if (classes == null) {
                classes = new HashMap<>();
                byLoader.put(loader, classes);
            }
            classes.put(className, new Registration(recorders, methods, gauges, byRule));
        }
        this.methods.addAndGet(methods);
    }

    /** Methods woven so far, counted once their class's weaving succeeded. */
    int methods() {
        return this.methods.get();
    }

    /**
     * How many methods each rule or configured gauge has woven in the classes woven now, in every
     * live loader; one equal to the rule that wove them (a reload keeps such a rule's classes)
     * finds them too. Read at every scrape: counted, not named.
     */
    Map<Object, Integer> methodsByRule() {
        Map<Object, Integer> methods = new HashMap<>();
        synchronized (byLoader) {
            for (Map<String, Registration> classes : byLoader.values()) {
                for (Registration registration : classes.values()) {
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
        Map<Object, List<String>> methods = new HashMap<>();
        synchronized (byLoader) {
            for (Map<String, Registration> classes : byLoader.values()) {
                classes.forEach((className, registration) -> registration.byRule.forEach((rule, names) -> {
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
            Map<String, Registration> classes = byLoader.get(loader);
            registration = classes == null ? null : classes.remove(className);
        }
        if (registration == null) {
            return;
        }
        for (MeterBridge.Recorder recorder : registration.recorders) {
            metrics.release(recorder);
        }
        metrics.releaseGauges(registration.gauges);
        methods.addAndGet(-registration.methods);
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
}
