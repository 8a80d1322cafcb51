package io.metricsagent.agent.weaving;

import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.description.AnnotatedMethod;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.MethodMeter;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.RuleReader;
import io.metricsagent.agent.description.RuleText;
import io.metricsagent.agent.metrics.GaugeSpec;
import io.metricsagent.agent.metrics.MetricFamilies;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What the configuration file's rules and gauges select among a set of class files, decided by the
 * weaver's own code with nothing loaded, woven or registered: the methods the agent would meter or
 * read as those classes load, and the lines it would print where it would not. Each class is
 * tested as the transformer tests it, by its name, then its bytes for a rule's annotation, then
 * its supertypes; a class that passes is scanned once for all the rules and gauges.
 */
public final class Selections {

    /** How many class names a line lists before it counts the rest. */
    private static final int NAMED = 3;

    /** One method a rule or gauge selects. */
    public static final class Method {
        /** The method with its parameter types: {@code com.shop.Orders.place(java.lang.String)}. */
        public final String name;
        /** What a rule records of it; {@code null} for a gauge, and where the rule does not meter it. */
        public final MethodMeter meter;
        /** For a gauge: read on every live instance and summed, rather than once as a static method. */
        public final boolean perInstance;
        /** The line the agent prints instead of metering or reading the method; {@code null} when it does. */
        public final String problem;
        /** By index of {@code meter}'s values: whether the method cannot give it (an entry of {@code first_of} left out). */
        private final boolean[] unread;

        Method(String name, MethodMeter meter, boolean perInstance, String problem) {
            this(name, meter, perInstance, problem, new boolean[0]);
        }

        private Method(String name, MethodMeter meter, boolean perInstance, String problem, boolean[] unread) {
            this.name = name;
            this.meter = meter;
            this.perInstance = perInstance;
            this.problem = problem;
            this.unread = unread;
        }

        /** Whether the meter's value at {@code index} is left out of this method: a {@code first_of} entry it cannot give. */
        public boolean leftOut(int index) {
            return index < unread.length && unread[index];
        }
    }

    /** What one rule or gauge selects. */
    public static final class Found {
        /** By class name, then in the order the class declares them. */
        public final List<Method> methods;
        /** When it selects nothing, the line saying why; else {@code null}. */
        public final String nothing;

        Found(List<Method> methods, String nothing) {
            this.methods = List.copyOf(methods);
            this.nothing = nothing;
        }
    }

    private final ClassLoader classFiles;
    private final List<MethodRule> rules;
    private final List<MeteringRules.InForce> inForce;
    /** Whether a rule selects by a supertype, which walks the supertypes of every class it tests. */
    private final boolean walksSupertypes;
    private final List<GaugeRule> gauges;
    /** The index of each gauge, by the internal name of its class. */
    private final Map<String, List<Integer>> gaugesByClass = new HashMap<>();
    /** Every name the selected methods declare, to find clashes as the agent's families would. */
    private final MetricFamilies families = new MetricFamilies(false);
    private final List<List<Method>> ruleMethods = new ArrayList<>();
    /** For each rule, the classes its class test passes: what to say when it selects nothing. */
    private final List<List<String>> ruleClasses = new ArrayList<>();
    /** For each rule, the methods it would select but for its parameter types. */
    private final List<List<String>> otherOverloads = new ArrayList<>();
    private final List<List<Method>> gaugeMethods = new ArrayList<>();

    private Selections(ClassLoader classFiles, List<MethodRule> rules, List<GaugeRule> gauges) {
        this.classFiles = classFiles;
        this.rules = rules;
        this.gauges = gauges;
        inForce = MeteringRules.prepare(rules).rules;
        walksSupertypes = rules.stream().anyMatch(rule -> rule.supertype() != null);
        for (int i = 0; i < rules.size(); i++) {
            ruleMethods.add(new ArrayList<>());
            ruleClasses.add(new ArrayList<>());
            otherOverloads.add(new ArrayList<>());
        }
        for (int i = 0; i < gauges.size(); i++) {
            gaugeMethods.add(new ArrayList<>());
            gaugesByClass.computeIfAbsent(gauges.get(i).className().replace('.', '/'), name -> new ArrayList<>()).add(i);
        }
    }

    /**
     * @param classFiles    serves the class files of the classes and of their supertypes, the
     *                      JDK's included; nothing is loaded through it
     * @param internalNames the classes to test, in the order their methods are to be listed
     */
    public static Selections find(ClassLoader classFiles, Collection<String> internalNames, List<MethodRule> rules,
                                  List<GaugeRule> gauges) {
        Selections selections = new Selections(classFiles, rules, gauges);
        // Reading every class file and testing it is most of the work, and no class's test needs
        // another's result; what passes is then scanned in order.
        List<Candidate> candidates = internalNames.parallelStream().map(selections::test).filter(Objects::nonNull)
                .collect(Collectors.toList());
        for (Candidate candidate : candidates) {
            selections.select(candidate);
        }
        return selections;
    }

    /** What each rule selects, in the rules' order. */
    public List<Found> rules() {
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            List<Method> methods = ruleMethods.get(i);
            found.add(new Found(methods, methods.isEmpty() ? nothing(rules.get(i), i) : null));
        }
        return found;
    }

    /** What each gauge reads, in the gauges' order. */
    public List<Found> gauges() {
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < gauges.size(); i++) {
            List<Method> methods = gaugeMethods.get(i);
            GaugeRule gauge = gauges.get(i);
            found.add(new Found(methods, methods.isEmpty() ? ConfiguredGaugeReader.doesNotRead(gauge,
                    "no class " + gauge.className() + " among the classes checked") : null));
        }
        return found;
    }

    /** A class that a rule's class test passes or that a gauge names. */
    private static final class Candidate {
        final String internalName;
        final List<Integer> rules;
        final List<Integer> gauges;
        /** What the class test threw, or {@code null}. */
        final RuntimeException failure;

        Candidate(String internalName, List<Integer> rules, List<Integer> gauges, RuntimeException failure) {
            this.internalName = internalName;
            this.rules = rules;
            this.gauges = gauges;
            this.failure = failure;
        }
    }

    /** The class as a candidate, or {@code null} when no rule and no gauge concerns it; changes nothing. */
    private Candidate test(String internalName) {
        String className = internalName.replace('/', '.');
        List<Integer> named = new ArrayList<>();
        for (int i = 0; i < inForce.size(); i++) {
            if (rules.get(i).selectsClassName(className)) {
                named.add(i);
            }
        }
        List<Integer> gaugeIndexes = gaugesByClass.getOrDefault(internalName, List.of());
        if (named.isEmpty() && gaugeIndexes.isEmpty()) {
            return null;
        }
        byte[] classFile = ClassFiles.bytes(classFiles, internalName);
        if (classFile == null) {
            return null;
        }
        List<Integer> selecting = new ArrayList<>();
        try {
            if (walksSupertypes) {
                // Each class file is read once: its subclasses' walks find its supertypes remembered.
                Supertypes.remember(classFiles, internalName, classFile);
            }
            for (int i : named) {
                if (inForce.get(i).mayMeter(classFiles, internalName, className, classFile, -1L)) {
                    selecting.add(i);
                }
            }
        } catch (RuntimeException e) {
            return new Candidate(internalName, named, gaugeIndexes, e);
        }
        return selecting.isEmpty() && gaugeIndexes.isEmpty() ? null
                : new Candidate(internalName, selecting, gaugeIndexes, null);
    }

    /** Lists what the rules and gauges select of a candidate, its class file read again. */
    private void select(Candidate candidate) {
        String className = candidate.internalName.replace('/', '.');
        for (int i : candidate.rules) {
            ruleClasses.get(i).add(className);
        }
        RuntimeException failure = candidate.failure;
        if (failure == null) {
            try {
                ClassReader reader = new ClassReader(ClassFiles.bytes(classFiles, candidate.internalName));
                ClassScan scan = ClassScan.of(reader);
                meter(reader, scan, candidate.rules);
                read(scan, candidate.gauges);
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        // As the transformer says of a class it fails on.
        Method failed = new Method(className, null, false, className + " is left uninstrumented: "
                + AgentLog.describe(failure));
        for (int i : candidate.rules) {
            ruleMethods.get(i).add(failed);
        }
        for (int i : candidate.gauges) {
            gaugeMethods.get(i).add(failed);
        }
    }

    private void meter(ClassReader reader, ClassScan scan, List<Integer> selecting) {
        PathResolver paths = new PathResolver(classFiles, reader);
        for (ClassScan.ScannedMethod method : scan.methods) {
            if (!MeteredMethods.meantByRules(scan, method)) {
                continue;
            }
            for (int i : selecting) {
                MethodRule rule = rules.get(i);
                if (rule.selects(method.annotated)) {
                    ruleMethods.get(i).add(meter(paths, scan, method, rule));
                } else if (RuleText.selectsButForParameters(rule, method.annotated)) {
                    otherOverloads.get(i).add(name(method.annotated));
                }
            }
        }
    }

    /** What weaving the method for the rule would take, short of registering its recorder. */
    private Method meter(PathResolver paths, ClassScan scan, ClassScan.ScannedMethod method, MethodRule rule) {
        AnnotatedMethod annotated = method.annotated;
        try {
            KotlinShapes.continuation(classFiles, scan, method);
        } catch (IllegalArgumentException e) {
            return new Method(name(annotated), null, false, MeteredMethods.notMetered(annotated, e.getMessage()));
        }
        try {
            MethodMeter meter = RuleReader.read(rule, annotated);
            MeteredMethods.Reads reads = MeteredMethods.reads(paths, scan, method, meter);
            families.declare(meter.families());
            boolean[] unread = new boolean[meter.values().size()];
            for (int i = 0; i < unread.length; i++) {
                unread[i] = reads.values.get(i).isAbsent();
            }
            return new Method(name(annotated), meter, false, null, unread);
        } catch (IllegalArgumentException e) {
            return new Method(name(annotated), null, false, MeteredMethods.doesNotMeter(rule, annotated, e.getMessage()));
        }
    }

    private void read(ClassScan scan, List<Integer> gaugeIndexes) {
        List<GaugeSpec> statics = new ArrayList<>();
        List<GaugeSpec> instances = new ArrayList<>();
        for (int i : gaugeIndexes) {
            GaugeRule gauge = gauges.get(i);
            Method read;
            try {
                ClassScan.ScannedMethod method = ConfiguredGaugeReader.add(families, classFiles, scan, gauge, statics,
                        instances);
                read = method == null ? new Method(gauge.reads(), null, true, null)
                        : new Method(name(method.annotated), null, !method.is(Opcodes.ACC_STATIC), null);
            } catch (IllegalArgumentException e) {
                read = new Method(gauge.reads(), null, false,
                        ConfiguredGaugeReader.doesNotRead(gauge, e.getMessage()));
            }
            gaugeMethods.get(i).add(read);
        }
    }

    /** The line saying why a rule selects nothing, from the nearest it came to selecting something. */
    private String nothing(MethodRule rule, int index) {
        String why;
        List<String> classes = ruleClasses.get(index);
        List<String> overloads = otherOverloads.get(index);
        if (classes.isEmpty()) {
            why = "no class checked matches " + RuleText.classes(rule);
        } else if (!overloads.isEmpty()) {
            why = "parameters " + RuleText.parameters(rule) + " fit none of " + some(overloads);
        } else {
            why = "the classes it matches (" + some(classes) + ") declare no method it selects";
        }
        return "the rule at " + rule.where() + " selects nothing: " + why;
    }

    private static String some(List<String> names) {
        if (names.size() <= NAMED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMED)) + " and " + (names.size() - NAMED) + " more";
    }

    private static String name(AnnotatedMethod method) {
        return method.className() + "." + method.name() + "(" + String.join(", ", method.parameterTypes()) + ")";
    }
}
