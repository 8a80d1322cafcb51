package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.metrics.GaugeSpec;
import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What weaving one class leaves behind besides its class file: for an application's class, its
 * recorders registered with the bridge and what it declared kept, so that a later weaving of it
 * can give them up; for the warm-up's class, nothing anyone can see.
 */
abstract class WeavingMode {

    /** The configuration's rules that select methods of the class. */
    abstract List<MethodRule> rules(ClassLoader loader, String internalName, byte[] classFile);

    /** Adds the gauges the configuration declares on the class. */
    abstract void addConfiguredGauges(ClassLoader loader, ClassScan scan, List<GaugeSpec> statics,
                                      List<GaugeSpec> instances, Map<Object, List<String>> byRule);

    /** Returns the id woven code hands the bridge to reach the recorder. */
    abstract int register(MeterBridge.Recorder recorder, Object nestingGroup);

    /** A point {@link #releaseSince} can go back to. */
    abstract int mark();

    /** Gives up the recorders registered since the mark, for a method that stays unmetered after all. */
    abstract void releaseSince(int mark);

    /** Keeps what the class declared, once its weaving succeeded. */
    abstract void woven(ClassLoader loader, String className, int methods, List<GaugeSpec> staticGauges,
                        List<GaugeSpec> instanceGauges, Map<Object, List<String>> byRule);

    /** An application's class: what it declares is served, and given up when it is woven again. */
    static final class Registering extends WeavingMode {
        private final Weaving weaving;
        /** Whether the class is of the JDK's own modules, which only some rules weave. */
        private final boolean jdkClass;
        private final List<MeterBridge.Recorder> registered = new ArrayList<>();
        /** The bridge's id of each of {@link #registered}. */
        private final List<Integer> ids = new ArrayList<>();

        Registering(Weaving weaving, boolean jdkClass) {
            this.weaving = weaving;
            this.jdkClass = jdkClass;
        }

        @Override
        List<MethodRule> rules(ClassLoader loader, String internalName, byte[] classFile) {
            return weaving.rules.forClass(loader, internalName, classFile, jdkClass);
        }

        @Override
        void addConfiguredGauges(ClassLoader loader, ClassScan scan, List<GaugeSpec> statics,
                                 List<GaugeSpec> instances, Map<Object, List<String>> byRule) {
            ConfiguredGaugeReader.add(weaving.metrics, weaving.gauges, loader, scan, statics, instances, byRule);
        }

        @Override
        int register(MeterBridge.Recorder recorder, Object nestingGroup) {
            int id = MeterBridge.register(recorder, weaving.nesting.number(nestingGroup));
            registered.add(recorder);
            ids.add(id);
            return id;
        }

        @Override
        int mark() {
            return registered.size();
        }

        /** No code is woven with those recorders: their ids are retired at once. */
        @Override
        void releaseSince(int mark) {
            while (registered.size() > mark) {
                weaving.metrics.release(registered.remove(registered.size() - 1));
                MeterBridge.retire(ids.remove(ids.size() - 1));
            }
        }

        /** Gives up every recorder registered, for a class whose weaving failed. */
        void releaseAll() {
            releaseSince(0);
        }

        @Override
        void woven(ClassLoader loader, String className, int methods, List<GaugeSpec> staticGauges,
                   List<GaugeSpec> instanceGauges, Map<Object, List<String>> byRule) {
            List<String> gauges = new ArrayList<>();
            for (GaugeSpec spec : staticGauges) {
                gauges.add(spec.name());
            }
            for (GaugeSpec spec : instanceGauges) {
                gauges.add(spec.name());
            }
            weaving.woven.woven(loader, className, registered, ids, methods, gauges, byRule);
        }
    }

    /**
     * The warm-up's made-up class, woven into scratch metrics: no rule or configured gauge can
     * name it, nothing is registered or counted, and each recorder takes one call, so that the
     * classes a first call loads are loaded too.
     */
    static final class WarmUp extends WeavingMode {

        @Override
        List<MethodRule> rules(ClassLoader loader, String internalName, byte[] classFile) {
            return List.of();
        }

        @Override
        void addConfiguredGauges(ClassLoader loader, ClassScan scan, List<GaugeSpec> statics,
                                 List<GaugeSpec> instances, Map<Object, List<String>> byRule) {
        }

        @Override
        int register(MeterBridge.Recorder recorder, Object nestingGroup) {
            recorder.started("warm", "up", null, null, null, null);
            recorder.record(0, 0, null, 1, "warm", "up", null, null, null, null);
            return -1;
        }

        @Override
        int mark() {
            return 0;
        }

        @Override
        void releaseSince(int mark) {
        }

        @Override
        void woven(ClassLoader loader, String className, int methods, List<GaugeSpec> staticGauges,
                   List<GaugeSpec> instanceGauges, Map<Object, List<String>> byRule) {
        }
    }
}
