package io.metricsagent.agent.weaving;

import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.metrics.GaugeSpec;
import io.metricsagent.agent.metrics.MetricFamilies;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Finds the methods of the configuration file's gauges in a class being woven, from its first
 * pass, and makes their {@link GaugeSpec}s, as {@code @MeteredGauge} makes its own; a method that
 * cannot be read as a gauge is one line naming the entry, and that gauge is left out.
 */
final class ConfiguredGaugeReader {

    private static final Set<String> NUMBER_TYPES = Set.of("byte", "short", "int", "long", "float", "double", "boolean",
            "java.lang.Boolean", "java.lang.Number");

    private ConfiguredGaugeReader() {}

    /**
     * Adds the gauges in force of the scanned class to {@code statics} and {@code instances},
     * declaring their names; an entry whose method cannot be read as a gauge, or whose name is
     * refused, is left out with one line naming the entry.
     *
     * @param byRule lists, for each entry that reads a method, the method read
     */
    static void add(AgentMetrics metrics, ConfiguredGauges inForce, ClassLoader loader, ClassScan scan,
                    List<GaugeSpec> statics, List<GaugeSpec> instances, Map<Object, List<String>> byRule) {
        List<GaugeRule> rules = inForce.forClass(scan.internalName);
        if (rules == null) {
            return;
        }
        for (GaugeRule rule : rules) {
            try {
                add(metrics.families(), loader, scan, rule, statics, instances);
                MeteredMethods.countFor(byRule, rule, rule.method());
            } catch (IllegalArgumentException e) {
                AgentLog.info(doesNotRead(rule, e.getMessage()));
            }
        }
    }

    /**
     * Adds one gauge of the scanned class to {@code statics} or {@code instances}, declaring its
     * name in {@code families}.
     *
     * @return the method it reads, or {@code null} for a gauge of a value of each instance
     * @throws IllegalArgumentException saying why the gauge cannot be read
     */
    static ClassScan.ScannedMethod add(MetricFamilies families, ClassLoader loader, ClassScan scan, GaugeRule rule,
                                       List<GaugeSpec> statics, List<GaugeSpec> instances) {
        if (rule.value() != null) {
            // Resolved on each instance's class at the first scrape that meets one, as label paths are.
            for (GaugeSpec other : instances) {
                if (rule.name().equals(other.name()) && other.methodName() == null) {
                    throw new IllegalArgumentException("a value is read as '" + rule.name() + "' already");
                }
            }
            GaugeSpec spec = GaugeSpec.ofValue(rule.value(), rule.name(), rule.help() != null && !rule.help().isEmpty()
                    ? rule.help() : "Value of " + rule.reads(), rule.labels());
            families.declareGauge(spec.name(), spec.labelNames());
            instances.add(spec);
            return null;
        }
        ClassScan.ScannedMethod method = find(scan, rule.method());
        if (method == null) {
            throw new IllegalArgumentException(rule.className() + " declares no method " + rule.method());
        }
        List<GaugeSpec> into = method.is(Opcodes.ACC_STATIC) ? statics : instances;
        into.add(spec(families, loader, method, rule, into));
        return method;
    }

    /** The line saying why a gauge is left out. */
    static String doesNotRead(GaugeRule rule, String why) {
        return "the gauge at " + rule.where() + " does not read " + rule.reads() + ": " + why;
    }

    /** The method without arguments of that name; else one of that name with arguments; else {@code null}. */
    private static ClassScan.ScannedMethod find(ClassScan scan, String name) {
        ClassScan.ScannedMethod withArguments = null;
        for (ClassScan.ScannedMethod method : scan.methods) {
            // A covariant override's bridge has no arguments either; the method itself is read.
            if (method.name.equals(name) && !method.is(Opcodes.ACC_BRIDGE)) {
                if (method.descriptor.startsWith("()")) {
                    return method;
                }
                withArguments = method;
            }
        }
        return withArguments;
    }

    private static GaugeSpec spec(MetricFamilies families, ClassLoader loader, ClassScan.ScannedMethod method,
                                  GaugeRule rule, List<GaugeSpec> sameKind) {
        if (!method.descriptor.startsWith("()")) {
            throw new IllegalArgumentException("it takes arguments; a gauge reads a method without any");
        }
        Type returned = Type.getReturnType(method.descriptor);
        if (!isNumber(loader, returned)) {
            throw new IllegalArgumentException("it returns " + returned.getClassName() + ", not a number");
        }
        for (GaugeSpec other : sameKind) {
            if (method.name.equals(other.methodName()) && other.name().equals(rule.name())) {
                throw new IllegalArgumentException("it is read as '" + rule.name() + "' already");
            }
        }
        String help = rule.help() != null && !rule.help().isEmpty() ? rule.help()
                : "Value of " + method.annotated.describe();
        GaugeSpec spec = GaugeSpec.of(method.name, rule.name(), help, rule.labels(), method.is(Opcodes.ACC_STATIC));
        families.declareGauge(spec.name(), spec.labelNames());
        return spec;
    }

    /**
     * Whether values of this type are numbers at scrape time: a primitive number or boolean (read
     * as 1 or 0, as {@code @MeteredGauge} reads it), or a class whose superclasses, read from
     * their class files, reach {@link Number}. A class whose file cannot be read is given the
     * benefit of the doubt: a value that is no number is left out of the scrape anyway.
     */
    private static boolean isNumber(ClassLoader loader, Type type) {
        if (type.getSort() != Type.OBJECT) {
            return NUMBER_TYPES.contains(type.getClassName());
        }
        String internalName = type.getInternalName();
        return NUMBER_TYPES.contains(type.getClassName()) || !Supertypes.readable(loader, internalName)
                || Supertypes.reaches(loader, internalName, "java/lang/Number");
    }
}
