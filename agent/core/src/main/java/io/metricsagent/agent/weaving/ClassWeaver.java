package io.metricsagent.agent.weaving;

import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.instrument.AnnotatedMethod;
import io.metricsagent.agent.instrument.AnnotationReader;
import io.metricsagent.agent.instrument.FamilySpec;
import io.metricsagent.agent.instrument.MethodMeter;
import io.metricsagent.agent.instrument.MethodRule;
import io.metricsagent.agent.instrument.RuleReader;
import io.metricsagent.agent.instrument.ValueSource;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.metrics.GaugeSpec;
import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves one class with ASM alone (the copy ByteBuddy ships): a first pass reads the annotations
 * by name, so the application's annotation classes are never loaded by the agent; each metered
 * method is described, its families declared and its recorder registered; a second pass inlines
 * the calls to the bridge. Everything a call needs is decided here, once. A method whose
 * description is refused (a bad name, a clash, a path that does not resolve) is left as it is,
 * with one line saying why.
 */
final class ClassWeaver {

    private static final AtomicInteger INSTRUMENTED = new AtomicInteger();
    private static final int FIRST_INDY_VERSION = Opcodes.V1_7;
    private static final int FIRST_FRAMES_VERSION = Opcodes.V1_6;

    private ClassWeaver() {}

    /** Methods woven so far, counted once their class's weaving succeeded. */
    static int instrumentedMethods() {
        return INSTRUMENTED.get();
    }

    /**
     * Returns the woven class file, or {@code null} when the class has nothing to weave. A class
     * woven before (its rules changed) first gives up what it declared then.
     */
    static byte[] weave(ClassLoader loader, String className, byte[] classFile) {
        AgentMetrics metrics = AgentMetrics.get();
        release(metrics, loader, className);
        List<MeterBridge.Recorder> registered = new ArrayList<>();
        try {
            return weave(metrics, loader, className, classFile, registered);
        } catch (RuntimeException | Error e) {
            for (MeterBridge.Recorder recorder : registered) {
                metrics.release(recorder);
            }
            throw e;
        }
    }

    /** Gives up what the class declared when it was last woven; for a reload, before it is woven again. */
    static void release(AgentMetrics metrics, ClassLoader loader, String className) {
        INSTRUMENTED.addAndGet(-WovenClasses.release(metrics, loader, className));
    }

    /**
     * Weaves a class made up here, with every kind of annotation, into metrics nothing serves,
     * and throws the result away: see {@link MeteredClassTransformer#warmUp()}. Returns whether
     * it was woven.
     */
    static boolean warmUp() {
        return weave(AgentMetrics.scratch(), ClassWeaver.class.getClassLoader(), WarmUpClass.NAME.replace('/', '.'),
                WarmUpClass.bytes(), null) != null;
    }

    /**
     * @param registered collects the recorders registered with the bridge; {@code null} for the
     *                   warm-up, for which nothing is registered or counted
     */
    private static byte[] weave(AgentMetrics metrics, ClassLoader loader, String className, byte[] classFile,
                                List<MeterBridge.Recorder> registered) {
        boolean counted = registered != null;
        ClassReader reader = new ClassReader(classFile);
        ClassScan scan = ClassScan.of(reader);
        PathResolver paths = new PathResolver(loader, reader);
        List<MethodRule> rules = counted ? MeteringRules.forClass(loader, scan.internalName, classFile) : List.of();

        Map<String, Woven> woven = new HashMap<>();
        Map<Object, Integer> byRule = new HashMap<>();
        List<GaugeSpec> instanceGauges = new ArrayList<>();
        List<GaugeSpec> staticGauges = new ArrayList<>();
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
                        : calls(metrics, paths, scan, method, selecting, registered, byRule);
                if (calls != null) {
                    woven.put(method.name + method.descriptor,
                            new Woven(calls, method.maxLocals, continuation.isEmpty() ? null : continuation));
                }
            }
            Map<String, Object> gauge = annotated.annotation(AnnotationReader.METERED_GAUGE);
            if (gauge != null) {
                GaugeSpec spec = gaugeSpec(metrics, method, gauge);
                if (spec != null) {
                    (method.is(Opcodes.ACC_STATIC) ? staticGauges : instanceGauges).add(spec);
                }
            }
        }
        if (counted) {
            ConfiguredGaugeReader.add(metrics, loader, scan, staticGauges, instanceGauges, byRule);
        }
        // Set even when empty: a class woven again replaces the gauges its earlier weaving set.
        metrics.gauges().setStaticGauges(loader, className, staticGauges);
        int gaugeClassId = metrics.gauges().setInstanceGauges(loader, className, instanceGauges);
        if (woven.isEmpty() && gaugeClassId < 0) {
            if (counted && !staticGauges.isEmpty()) {
                WovenClasses.woven(loader, className, registered, 0, gaugeNames(staticGauges, instanceGauges), byRule);
            }
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new Rewriter(writer, woven, gaugeClassId, scan.version >= FIRST_FRAMES_VERSION),
                ClassReader.EXPAND_FRAMES);
        byte[] result = writer.toByteArray();
        if (counted) {
            INSTRUMENTED.addAndGet(woven.size());
            WovenClasses.woven(loader, className, registered, woven.size(), gaugeNames(staticGauges, instanceGauges),
                    byRule);
        }
        return result;
    }

    private static List<String> gaugeNames(List<GaugeSpec> staticGauges, List<GaugeSpec> instanceGauges) {
        List<String> names = new ArrayList<>();
        for (GaugeSpec spec : staticGauges) {
            names.add(spec.name());
        }
        for (GaugeSpec spec : instanceGauges) {
            names.add(spec.name());
        }
        return names;
    }

    /**
     * The bridge calls of one metered method, or {@code null} when it stays unmetered.
     *
     * @param byRule counts, for each rule that meters the method, one method more
     */
    private static List<WovenCall> calls(AgentMetrics metrics, PathResolver paths, ClassScan scan,
                                         ClassScan.ScannedMethod method, List<MethodRule> rules,
                                         List<MeterBridge.Recorder> registered, Map<Object, Integer> byRule) {
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
        int registeredBefore = registered == null ? 0 : registered.size();
        try {
            for (MethodMeter meter : AnnotationReader.read(annotated)) {
                calls.add(call(metrics, paths, scan, method, meter, registered));
            }
        } catch (IllegalArgumentException e) {
            AgentLog.info(annotations + " on " + annotated.describe() + " is not metered: " + e.getMessage());
            // What its other annotations declared goes unused: the method stays as it is.
            while (registered != null && registered.size() > registeredBefore) {
                metrics.release(registered.remove(registered.size() - 1));
            }
            return null;
        }
        for (MethodRule rule : rules) {
            try {
                calls.add(call(metrics, paths, scan, method, RuleReader.read(rule, annotated), registered));
                countFor(byRule, rule);
            } catch (IllegalArgumentException e) {
                AgentLog.info(doesNotMeter(rule, annotated, e.getMessage()));
            }
        }
        return calls.isEmpty() ? null : calls;
    }

    /** One method more for this rule or configured gauge. */
    static void countFor(Map<Object, Integer> byRule, Object rule) {
        // No method reference: this runs on the application's thread as its classes load.
        Integer before = byRule.get(rule);
        byRule.put(rule, before == null ? 1 : before + 1);
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
                                  ClassScan.ScannedMethod method, MethodMeter meter,
                                  List<MeterBridge.Recorder> registered) {
        Reads reads = reads(paths, scan, method, meter);
        MeterBridge.Recorder recorder = metrics.recorder(meter, reads.numberSlot);
        boolean nested = meter.nestingGroup() != null;
        boolean inFlight = false;
        for (FamilySpec family : meter.families()) {
            inFlight |= family.type() == FamilySpec.Type.GAUGE;
        }
        if (registered == null) {
            // The warm-up's recorder takes one call, for the classes a first call loads.
            recorder.started("warm", "up", null, null, null, null);
            recorder.record(0, null, 1, "warm", "up", null, null, null, null);
            return new WovenCall(-1, reads.values, reads.number, meter.numberWhenAbsent(), nested, inFlight);
        }
        int id = MeterBridge.register(recorder, NestingGroups.number(meter.nestingGroup()));
        registered.add(recorder);
        return new WovenCall(id, reads.values, reads.number, meter.numberWhenAbsent(), nested, inFlight);
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
        for (ValueSource value : meter.values()) {
            values.add(read(paths, scan, method, value, arguments, returnType));
        }
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

    /** A metered method's calls, and its own locals (from the first pass: the woven ones go after them). */
    private static final class Woven {
        final List<WovenCall> calls;
        final int maxLocals;
        final String continuation;

        Woven(List<WovenCall> calls, int maxLocals, String continuation) {
            this.calls = calls;
            this.maxLocals = maxLocals;
            this.continuation = continuation;
        }
    }

    /** The second pass: metered methods get their calls, constructors of gauge owners their tracking. */
    private static final class Rewriter extends ClassVisitor {
        private final Map<String, Woven> woven;
        private final int gaugeClassId;
        private final boolean frames;
        private String owner;

        Rewriter(ClassWriter writer, Map<String, Woven> woven, int gaugeClassId, boolean frames) {
            super(Opcodes.ASM9, writer);
            this.woven = woven;
            this.gaugeClassId = gaugeClassId;
            this.frames = frames;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            Woven method = woven.get(name + descriptor);
            if (method != null) {
                return new MethodInstrumenter(next, owner, access, descriptor, method.maxLocals, method.calls, frames,
                        method.continuation);
            }
            if (gaugeClassId >= 0 && name.equals("<init>")) {
                return new GaugeTracking(next, gaugeClassId);
            }
            return next;
        }
    }

    /** Hands each new instance to the agent at every return of a constructor. */
    private static final class GaugeTracking extends MethodVisitor {
        private final int classId;

        GaugeTracking(MethodVisitor next, int classId) {
            super(Opcodes.ASM9, next);
            this.classId = classId;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                super.visitLdcInsn(classId);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "io/metricsagent/bootstrap/GaugeBridge", "track",
                        "(ILjava/lang/Object;)V", false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 2), maxLocals);
        }
    }
}
