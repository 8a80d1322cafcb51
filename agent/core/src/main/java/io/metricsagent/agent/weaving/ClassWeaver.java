package io.metricsagent.agent.weaving;

import io.metricsagent.agent.metrics.AgentMetrics;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Weaves one class with ASM alone (the copy ByteBuddy ships): {@link MeteredMethods} describes
 * its metered methods and gauges, then {@link ClassRewriter} inlines the calls to the bridge.
 */
final class ClassWeaver {

    private ClassWeaver() {}

    /**
     * Returns the woven class file, or {@code null} when the class has nothing to weave. A class
     * woven before (its rules changed) first gives up what it declared then.
     */
    static byte[] weave(Weaving weaving, ClassLoader loader, String className, byte[] classFile) {
        return weave(weaving, loader, className, classFile, false);
    }

    /**
     * @param loaded whether the class is loaded already (an attach, a reload): instances of it may
     *               exist, which its constructors will never hand to its gauges, so its instance
     *               methods learn them as they are called
     */
    static byte[] weave(Weaving weaving, ClassLoader loader, String className, byte[] classFile, boolean loaded) {
        AgentMetrics metrics = weaving.metrics;
        weaving.woven.release(loader, className);
        WeavingMode.Registering registering = new WeavingMode.Registering(weaving);
        try {
            return weave(metrics, loader, className, classFile, registering, loaded);
        } catch (RuntimeException | Error e) {
            registering.releaseAll();
            throw e;
        }
    }

    /**
     * Weaves a class made up here, with every kind of annotation, into scratch metrics nothing
     * serves and no agent counts, and throws the result away: see {@link MeteredClassTransformer#warmUp()}. Returns whether
     * it was woven.
     */
    static boolean warmUp() {
        return weave(AgentMetrics.scratch(), ClassWeaver.class.getClassLoader(), WarmUpClass.NAME.replace('/', '.'),
                WarmUpClass.bytes(), new WeavingMode.WarmUp(), false) != null;
    }

    private static byte[] weave(AgentMetrics metrics, ClassLoader loader, String className, byte[] classFile,
                                WeavingMode mode, boolean loaded) {
        ClassReader reader = new ClassReader(classFile);
        ClassScan scan = ClassScan.of(reader);
        MeteredMethods described = MeteredMethods.describe(metrics, loader, reader, scan, classFile, mode);
        // Set even when empty: a class woven again replaces the gauges its earlier weaving set.
        metrics.gauges().setStaticGauges(loader, className, described.staticGauges);
        int gaugeClassId = metrics.gauges().setInstanceGauges(loader, className, described.instanceGauges);
        if (described.woven.isEmpty() && gaugeClassId < 0) {
            if (!described.staticGauges.isEmpty()) {
                mode.woven(loader, className, 0, described.staticGauges, described.instanceGauges, described.byRule);
            }
            return null;
        }
        byte[] result = ClassRewriter.rewrite(reader, scan.version, described.woven, gaugeClassId, loaded);
        mode.woven(loader, className, described.woven.size(), described.staticGauges, described.instanceGauges,
                described.byRule);
        return result;
    }
}
