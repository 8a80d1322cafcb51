package io.metricsagent.agent.weaving;

import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.description.AnnotatedMethod;
import io.metricsagent.agent.description.AnnotationReader;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.description.MethodMeter;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.RuleReader;
import io.metricsagent.agent.description.ValueSource;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.metrics.GaugeSpec;
import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The weaver's first pass over one class: reads its annotations by name, so the application's
 * annotation classes are never loaded by the agent, and the rules that select its methods; each
 * metered method is described, its families declared and its recorder handed to the
 * {@link WeavingMode}. Everything a call needs is decided here, once. A method whose description
 * is refused (a bad name, a clash, a path that does not resolve) is left as it is, with one line
 * saying why.
 */
final class MeteredMethods {

    private static final int FIRST_INDY_VERSION = Opcodes.V1_7;

    /** The metered methods by name and descriptor. */
    final Map<String, WovenMethod> woven = new HashMap<>();
    final List<GaugeSpec> staticGauges = new ArrayList<>();
    final List<GaugeSpec> instanceGauges = new ArrayList<>();
    /** The methods each rule meters, and the methods each configured gauge reads, by name. */
    final Map<Object, List<String>> byRule = new HashMap<>();

    private MeteredMethods() {}

    static MeteredMethods describe(AgentMetrics metrics, ClassLoader loader, ClassReader reader, ClassScan scan,
                                   byte[] classFile, WeavingMode mode) {
        PathResolver paths = new PathResolver(loader, reader);
        List<MethodRule> rules = mode.rules(loader, scan.internalName, classFile);
        MeteredMethods described = new MeteredMethods();
        for (ClassScan.ScannedMethod method : scan.methods) {
            AnnotatedMethod annotated = method.annotated;
            // javac copies a method's annotations onto the bridge methods it generates for it;
            // the bridge calls the method, which counts the call: weaving both would count twice.
            if (method.is(Opcodes.ACC_BRIDGE)) {
                continue;
            }
            List<MethodRule> selecting = MeteringRules.selecting(rules, annotated);
            if ((AnnotationReader.isMetered(annotated) || !selecting.isEmpty()) && !KotlinShapes.isForwarder(scan, method)) {
                String continuation = continuation(loader, scan, method);
                List<WovenCall> calls = continuation == null ? null
                        : calls(metrics, paths, scan, method, selecting, mode, described.byRule);
                if (calls != null) {
                    described.woven.put(method.name + method.descriptor,
                            new WovenMethod(calls, method.maxLocals, continuation.isEmpty() ? null : continuation));
                }
            }
            Map<String, Object> gauge = annotated.annotation(AnnotationReader.METERED_GAUGE);
            if (gauge != null) {
                GaugeSpec spec = gaugeSpec(metrics, method, gauge);
                if (spec != null) {
                    (method.is(Opcodes.ACC_STATIC) ? described.staticGauges : described.instanceGauges).add(spec);
                }
            }
        }
        mode.addConfiguredGauges(loader, scan, described.staticGauges, described.instanceGauges, described.byRule);
        return described;
    }

    /**
     * The bridge calls of one metered method, or {@code null} when it stays unmetered.
     *
     * @param byRule lists, for each rule that meters the method, the method
     */
    private static List<WovenCall> calls(AgentMetrics metrics, PathResolver paths, ClassScan scan,
                                         ClassScan.ScannedMethod method, List<MethodRule> rules, WeavingMode mode,
                                         Map<Object, List<String>> byRule) {
        AnnotatedMethod annotated = method.annotated;
        String annotations = AnnotationReader.annotationNames(annotated);
        if (annotations.isEmpty() && !meantByRules(scan, method)) {
            return null;
        }
        if (method.is(Opcodes.ACC_ABSTRACT) || method.is(Opcodes.ACC_NATIVE)) {
            AgentLog.info(annotations + " on " + annotated.describe() + " is ignored: it has no body");
            return null;
        }
        if (method.name.startsWith("<")) {
            AgentLog.info(annotations + " on " + annotated.describe() + " is ignored: constructors are not metered");
            return null;
        }
        List<WovenCall> calls = new ArrayList<>();
        int registeredBefore = mode.mark();
        try {
            for (MethodMeter meter : AnnotationReader.read(annotated)) {
                calls.add(call(metrics, paths, scan, method, meter, mode));
            }
        } catch (IllegalArgumentException e) {
            AgentLog.info(annotations + " on " + annotated.describe() + " is not metered: " + e.getMessage());
            // What its other annotations declared goes unused: the method stays as it is.
            mode.releaseSince(registeredBefore);
            return null;
        }
        for (MethodRule rule : rules) {
            try {
                calls.add(call(metrics, paths, scan, method, RuleReader.read(rule, annotated), mode));
                countFor(byRule, rule, method.name);
            } catch (IllegalArgumentException e) {
                AgentLog.info(doesNotMeter(rule, annotated, e.getMessage()));
            }
        }
        return calls.isEmpty() ? null : calls;
    }

    /** One method more for this rule or configured gauge. */
    static void countFor(Map<Object, List<String>> byRule, Object rule, String method) {
        // No method reference: this runs on the application's thread as its classes load.
        List<String> methods = byRule.get(rule);
        if (methods == null) {
            methods = new ArrayList<>();
            byRule.put(rule, methods);
        }
        methods.add(method);
    }

    /**
     * Whether a method a rule selects by its name is one it means: a pattern also matches what
     * has no body, and what the compiler made (bridges, Kotlin's forwarders, other synthetic
     * methods, constructors), which rules leave as they are.
     */
    static boolean meantByRules(ClassScan scan, ClassScan.ScannedMethod method) {
        return !method.is(Opcodes.ACC_BRIDGE) && !method.is(Opcodes.ACC_ABSTRACT) && !method.is(Opcodes.ACC_NATIVE)
                && !method.is(Opcodes.ACC_SYNTHETIC) && !method.name.startsWith("<")
                && !KotlinShapes.isForwarder(scan, method);
    }

    /** The line saying why a rule leaves a method it selects unmetered. */
    static String doesNotMeter(MethodRule rule, AnnotatedMethod method, String why) {
        return "the rule at " + rule.where() + " does not meter " + method.describe() + ": " + why;
    }

    /** The method's {@link KotlinShapes#continuation}, or {@code null} after the line saying why it stays unmetered. */
    private static String continuation(ClassLoader loader, ClassScan scan, ClassScan.ScannedMethod method) {
        try {
            return KotlinShapes.continuation(loader, scan, method);
        } catch (IllegalArgumentException e) {
            AgentLog.info(notMetered(method.annotated, e.getMessage()));
            return null;
        }
    }

    /** The line saying why a method its annotations or rules select stays unmetered whatever they say. */
    static String notMetered(AnnotatedMethod method, String why) {
        return method.describe() + " is not metered: " + why;
    }

    private static WovenCall call(AgentMetrics metrics, PathResolver paths, ClassScan scan,
                                  ClassScan.ScannedMethod method, MethodMeter meter, WeavingMode mode) {
        Reads reads = reads(paths, scan, method, meter);
        WovenCall.Read gate = meter.onlyWhenValue() == null ? null
                : read(paths, scan, method, meter.onlyWhenValue(), Type.getArgumentTypes(method.descriptor),
                        Type.getReturnType(method.descriptor));
        MeterBridge.Recorder recorder = metrics.recorder(meter, reads.numberSlot);
        boolean nested = meter.nestingGroup() != null || gate != null;
        boolean inFlight = false;
        for (FamilySpec family : meter.families()) {
            inFlight |= family.type() == FamilySpec.Type.GAUGE;
        }
        int id = mode.register(recorder, meter.nestingGroup());
        return new WovenCall(id, reads.values, reads.number, meter.numberWhenAbsent(), nested, inFlight, gate);
    }

    /**
     * Where woven code reads a meter's values and number in the method, paths resolved.
     *
     * @throws IllegalArgumentException saying what of the meter the method cannot give
     */
    static Reads reads(PathResolver paths, ClassScan scan, ClassScan.ScannedMethod method, MethodMeter meter) {
        Type[] arguments = Type.getArgumentTypes(method.descriptor);
        Type returnType = Type.getReturnType(method.descriptor);
        List<WovenCall.Read> values = new ArrayList<>();
        ValueUses uses = new ValueUses(meter);
        IllegalArgumentException[] unreadable = new IllegalArgumentException[meter.values().size()];
        for (int i = 0; i < meter.values().size(); i++) {
            try {
                WovenCall.Read read = read(paths, scan, method, meter.values().get(i), arguments, returnType);
                read = uses.unreadOnThrow[i] ? read.unreadOnThrow() : read;
                values.add(meter.values().get(i).isReadOnEntry() ? read.readOnEntry() : read);
            } catch (IllegalArgumentException e) {
                if (!uses.alternative[i]) {
                    throw e;
                }
                // An entry of first_of the method cannot give reads nothing, as long as another is left.
                values.add(WovenCall.Read.ABSENT);
                unreadable[i] = e;
            }
        }
        checkLabelObjects(meter, unreadable);
        WovenCall.Read number = null;
        int numberSlot = -1;
        if (meter.number() != null) {
            WovenCall.Read read = read(paths, scan, method, meter.number(), arguments, returnType);
            Type last = read.path.isEmpty() ? read.type : read.path.get(read.path.size() - 1).result;
            if (last.getSort() == Type.BOOLEAN || last.getSort() == Type.VOID
                    || last.getSort() == Type.ARRAY || last.getDescriptor().equals("Ljava/lang/String;")) {
                throw new IllegalArgumentException(meter.number() + " is a " + last.getClassName() + ", not a number");
            }
            if (last.getSort() == Type.OBJECT && read.path.isEmpty()) {
                // A Number object travels as it is; the recorder reads it, so that null means absent.
                values.add(read);
                numberSlot = values.size() - 1;
            } else {
                number = read;
            }
        }
        if (values.size() > MeterBridge.SLOTS) {
            throw new IllegalArgumentException("it takes " + values.size() + " values per call; at most "
                    + MeterBridge.SLOTS + " are supported");
        }
        return new Reads(values, number, numberSlot);
    }

    /**
     * How a meter's labels read each of its values: whether only entries of {@code first_of}
     * read it, each with others beside it (the method may lack it); whether only labels with a
     * {@code thrown:} text read it (a call that throws need not).
     */
    private static final class ValueUses {
        final boolean[] alternative;
        final boolean[] unreadOnThrow;

        ValueUses(MethodMeter meter) {
            int count = meter.values().size();
            alternative = new boolean[count];
            unreadOnThrow = new boolean[count];
            boolean[] required = new boolean[count];
            boolean[] readOnThrow = new boolean[count];
            if (meter.failure() != null) {
                required[meter.failure().value()] = true;
                readOnThrow[meter.failure().value()] = true;
            }
            if (meter.dropWhen() != null) {
                required[meter.dropWhenValue()] = true;
                readOnThrow[meter.dropWhenValue()] = true;
            }
            for (FamilySpec family : meter.families()) {
                for (LabelSource label : family.labels()) {
                    if (label.kind() == LabelSource.Kind.VALUE) {
                        required[label.value()] = true;
                        readOnThrow[label.value()] = true;
                    } else if (label.kind() == LabelSource.Kind.DERIVED) {
                        int[] entries = label.derived().values();
                        for (int value : entries) {
                            alternative[value] |= entries.length > 1;
                            required[value] |= entries.length == 1;
                            unreadOnThrow[value] |= label.derived().thrown() != null;
                            readOnThrow[value] |= label.derived().thrown() == null;
                        }
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                alternative[i] &= !required[i];
                unreadOnThrow[i] &= !readOnThrow[i];
            }
        }
    }

    /**
     * @throws IllegalArgumentException when no entry of a {@code first_of} can be read (the first
     *                                  entry's reason), or the labels take more keys than the bridge has slots
     */
    private static void checkLabelObjects(MethodMeter meter, IllegalArgumentException[] unreadable) {
        Set<Object> keys = new HashSet<>();
        boolean derived = false;
        for (FamilySpec family : meter.families()) {
            for (LabelSource label : family.labels()) {
                if (label.kind() == LabelSource.Kind.VALUE) {
                    keys.add(label.value());
                } else if (label.kind() == LabelSource.Kind.DERIVED) {
                    derived = true;
                    keys.add(label.derived());
                    IllegalArgumentException first = null;
                    boolean readable = false;
                    for (int value : label.derived().values()) {
                        readable |= unreadable[value] == null;
                        first = first == null ? unreadable[value] : first;
                    }
                    if (!readable) {
                        throw first;
                    }
                }
            }
        }
        if (derived && keys.size() > MeterBridge.SLOTS) {
            throw new IllegalArgumentException("its labels take " + keys.size() + " keys per call; at most "
                    + MeterBridge.SLOTS + " are supported");
        }
    }

    /** What {@link #reads} found: the value slots, the number read as a primitive, the slot of one read as an object. */
    static final class Reads {
        final List<WovenCall.Read> values;
        final WovenCall.Read number;
        /** The value index that carries the number as an object, or -1. */
        final int numberSlot;

        Reads(List<WovenCall.Read> values, WovenCall.Read number, int numberSlot) {
            this.values = values;
            this.number = number;
            this.numberSlot = numberSlot;
        }
    }

    private static WovenCall.Read read(PathResolver paths, ClassScan scan, ClassScan.ScannedMethod method,
                                       ValueSource value, Type[] arguments, Type returnType) {
        Type root;
        if (value.isReturnValue()) {
            root = returnType;
        } else if (value.isThis()) {
            if (method.is(Opcodes.ACC_STATIC)) {
                throw new IllegalArgumentException("a static method has no this");
            }
            root = Type.getObjectType(scan.internalName);
        } else if (value.argument() < arguments.length) {
            root = arguments[value.argument()];
        } else {
            throw new IllegalArgumentException("it has no argument " + value.argument());
        }
        if (value.path().isEmpty()) {
            return new WovenCall.Read(value.argument(), root, List.of());
        }
        if (scan.version < FIRST_INDY_VERSION) {
            throw new IllegalArgumentException("paths such as '" + String.join(".", value.path())
                    + "' need a class file of Java 7 or later");
        }
        try {
            return new WovenCall.Read(value.argument(), root, paths.resolve(root, value.path()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("path '" + String.join(".", value.path()) + "' of "
                    + (value.isReturnValue() ? "the return value" : value.isThis() ? "this" : "argument " + value.argument())
                    + ": " + e.getMessage());
        }
    }

    private static GaugeSpec gaugeSpec(AgentMetrics metrics, ClassScan.ScannedMethod method, Map<String, Object> gauge) {
        AnnotatedMethod annotated = method.annotated;
        if (!annotated.parameterTypes().isEmpty() || annotated.returnType().equals("void")) {
            AgentLog.info("@MeteredGauge on " + annotated.describe()
                    + " is ignored: it must take no arguments and return a number");
            return null;
        }
        try {
            Object name = gauge.get("name");
            Object help = gauge.get("help");
            // promtool wants help on every metric; an empty one names the method.
            String helpText = help instanceof String && !((String) help).isEmpty() ? (String) help
                    : "Value of " + annotated.describe();
            GaugeSpec spec = GaugeSpec.of(method.name, name instanceof String ? (String) name : "", helpText,
                    AnnotationReader.strings(gauge, "labels").toArray(new String[0]), method.is(Opcodes.ACC_STATIC));
            metrics.families().declareGauge(spec.name(), spec.labelNames());
            return spec;
        } catch (IllegalArgumentException e) {
            AgentLog.info("@MeteredGauge on " + annotated.describe() + " is ignored: " + e.getMessage());
            return null;
        }
    }
}
