package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.AnnotatedMethod;
import io.metricsagent.agent.description.AnnotationReader;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.report.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration file's rules in force. The transformer asks whether a class may have methods
 * a rule selects, from the cheapest test to the dearest: its name, then whether its constant pool
 * names the rule's annotation or, for a rule by supertype, a method the rule may select, then
 * whether it reaches the rule's supertype (which reads class files). The pool is walked once for
 * every rule and the agent's own annotations together ({@link PoolTexts}). Only a class that
 * passes (or that names one of the agent's annotations) is read any further.
 */
public final class MeteringRules {

    private final Weaving weaving;
    /** The agent's annotations' descriptors, the first texts of every {@link Prepared}'s table. */
    private static final String[] AGENT_ANNOTATIONS = {
        AnnotationReader.METERED_PAYMENT, AnnotationReader.METERED, AnnotationReader.METERED_GAUGE,
    };

    private volatile Prepared prepared = prepare(Collections.emptyList());
    /** The rules already told that a class of the JDK's they name is never woven. */
    private final Set<MethodRule> toldOfJdkClasses = new HashSet<>();

    MeteringRules(Weaving weaving) {
        this.weaving = weaving;
    }

    /**
     * How many methods each rule and configured gauge in force has woven now, by its file and
     * line ({@code metrics-agent.yml:12}): 0 for one that selects nothing loaded, which is how a
     * mistyped class or method name shows.
     */
    public Map<String, Integer> methodsByRule() {
        Map<Object, Integer> woven = weaving.woven.methodsByRule();
        Map<String, Integer> methods = new LinkedHashMap<>();
        for (InForce rule : prepared.rules) {
            methods.merge(id(rule.rule.where()), woven.getOrDefault(rule.rule, 0), Integer::sum);
        }
        for (GaugeRule gauge : weaving.gauges.inForce()) {
            methods.merge(id(gauge.where()), woven.getOrDefault(gauge, 0), Integer::sum);
        }
        return methods;
    }

    /** Each rule and configured gauge in force, in order, with the methods it has woven now, as {@link #methodsByRule()} counts them. */
    public List<Woven> woven() {
        Map<Object, List<String>> methods = weaving.woven.methodNamesByRule();
        List<Woven> woven = new ArrayList<>();
        for (InForce rule : prepared.rules) {
            woven.add(new Woven(id(rule.rule.where()), false, rule.rule.title(), methods.get(rule.rule)));
        }
        for (GaugeRule gauge : weaving.gauges.inForce()) {
            woven.add(new Woven(id(gauge.where()), true, gauge.name(), methods.get(gauge)));
        }
        return woven;
    }

    /** A rule or configured gauge in force and the methods it has woven now. */
    public static final class Woven {
        /** Its file and line, {@code metrics-agent.yml:12}. */
        public final String rule;
        public final boolean gauge;
        /** The gauge's name, or what the rule records: its metric's base name, or {@code preset payment}. */
        public final String metric;
        /** {@code com.example.Gateway.charge}, sorted. */
        public final List<String> methods;

        Woven(String rule, boolean gauge, String metric, List<String> methods) {
            this.rule = rule;
            this.gauge = gauge;
            this.metric = metric;
            List<String> sorted = methods == null ? new ArrayList<>() : new ArrayList<>(methods);
            Collections.sort(sorted);
            this.methods = Collections.unmodifiableList(sorted);
        }
    }

    /** {@code metrics-agent.yml:12} for {@code metrics-agent.yml line 12}. */
    private static String id(String where) {
        return where.replace(" line ", ":");
    }

    /**
     * Puts these rules in force, for classes woven from now on, and looks for the pending presets'
     * descriptors in the same walk of each loading class's pool.
     */
    void use(List<MethodRule> inForce) {
        prepared = new Prepared(inForce, weaving.presets.descriptors());
    }

    /**
     * Puts these rules and gauges in force in place of those in force, and weaves again the
     * loaded classes that a rule or gauge added or removed may concern (a changed one is one
     * removed and one added): what a removed rule wove stops recording, and families and gauges
     * nothing declares any more leave.
     */
    public Change replace(Instrumentation inst, List<MethodRule> next, List<GaugeRule> nextGauges) {
        List<MethodRule> previous = new ArrayList<>();
        for (InForce rule : prepared.rules) {
            previous.add(rule.rule);
        }
        List<MethodRule> added = new ArrayList<>(next);
        added.removeAll(previous);
        List<MethodRule> removed = new ArrayList<>(previous);
        removed.removeAll(next);
        List<GaugeRule> gaugesAdded = new ArrayList<>(nextGauges);
        gaugesAdded.removeAll(weaving.gauges.inForce());
        List<GaugeRule> gaugesRemoved = new ArrayList<>(weaving.gauges.inForce());
        gaugesRemoved.removeAll(nextGauges);
        use(next);
        weaving.gauges.use(nextGauges);
        int addedCount = added.size() + gaugesAdded.size();
        int removedCount = removed.size() + gaugesRemoved.size();
        if (addedCount == 0 && removedCount == 0) {
            return new Change(0, 0, 0);
        }
        List<MethodRule> changed = new ArrayList<>(added);
        changed.addAll(removed);
        Prepared affecting = prepare(changed);
        Set<String> gaugeClasses = new HashSet<>();
        for (GaugeRule gauge : gaugesAdded) {
            gaugeClasses.add(gauge.className().replace('.', '/'));
        }
        for (GaugeRule gauge : gaugesRemoved) {
            gaugeClasses.add(gauge.className().replace('.', '/'));
        }
        int classes = LoadedClasses.reweave(weaving, inst, new LoadedClasses.Selector() {
            @Override
            public boolean selects(ClassLoader loader, String internalName, byte[] classFile) {
                return gaugeClasses.contains(internalName) || affecting.mayMeter(loader, internalName, classFile);
            }
        });
        weaving.metrics.dropUnused();
        return new Change(addedCount, removedCount, classes);
    }

    /** What a {@link #replace} did: rules and gauges added and removed, loaded classes woven again. */
    public static final class Change {
        public final int added;
        public final int removed;
        public final int classes;

        Change(int added, int removed, int classes) {
            this.added = added;
            this.removed = removed;
            this.classes = classes;
        }
    }

    /**
     * Whether the class names one of the agent's annotations or a rule in force may select
     * methods of it; {@code internalName} as the transformer gets it.
     */
    boolean mayConcern(ClassLoader loader, String internalName, byte[] classFile) {
        Prepared current = prepared;
        long found = current.texts.find(classFile);
        if ((found & current.triggerBits) != 0) {
            for (int i = 0; i < current.triggers.length; i++) {
                if ((found & current.triggerBit[i]) != 0) {
                    weaving.putInForcePresetTriggeredBy(current.triggers[i]);
                }
            }
            current = prepared;
            found = current.texts.find(classFile);
        }
        return (found & AGENT_ANNOTATION_BITS) != 0 || current.mayMeter(loader, internalName, classFile, found);
    }

    /** Whether a rule in force may select methods of this class. */
    boolean mayMeter(ClassLoader loader, String internalName, byte[] classFile) {
        return prepared.mayMeter(loader, internalName, classFile);
    }

    /**
     * Says, once for each rule, that a rule naming this class of the JDK's {@code module} by its
     * class name leaves it as it is. A rule that selects by supertype or annotation alone passes
     * the JDK's classes by in silence: {@code extends: com.sun.net.httpserver.HttpHandler} means
     * the application's handlers, never the JDK's own {@code LinkHandler} that wraps each of them.
     * A rule with {@code jdk_classes: true} weaves them, and says nothing.
     */
    void leaveOutJdkClass(ClassLoader loader, String internalName, byte[] classFile, String module) {
        String className = internalName.replace('/', '.');
        for (InForce rule : prepared.rules) {
            if (rule.rule.classPattern() != null && !rule.rule.weavesJdkClasses()
                    && rule.mayMeter(loader, internalName, className, classFile, -1L)) {
                synchronized (toldOfJdkClasses) {
                    if (!toldOfJdkClasses.add(rule.rule)) {
                        continue;
                    }
                }
                AgentLog.info("the rule at " + rule.rule.where() + " selects " + className + " of the JDK's module "
                        + module + ", which the rule leaves as it is: a rule meters the application's classes, not the JDK's, unless it says jdk_classes: true");
            }
        }
    }

    /** Whether a rule with {@code jdk_classes: true} may select methods of this class of the JDK's own modules. */
    boolean mayWeaveJdkClass(ClassLoader loader, String internalName, byte[] classFile) {
        return !forClass(loader, internalName, classFile, true).isEmpty();
    }

    /** The rules in force that may select methods of this class. */
    List<MethodRule> forClass(ClassLoader loader, String internalName, byte[] classFile) {
        return forClass(loader, internalName, classFile, false);
    }

    /**
     * The rules in force that may select methods of this class; of a class of the JDK's own
     * modules ({@code jdkClass}), only those with {@code jdk_classes: true}.
     */
    List<MethodRule> forClass(ClassLoader loader, String internalName, byte[] classFile, boolean jdkClass) {
        Prepared current = prepared;
        if (jdkClass && !current.weaveJdkClasses) {
            return List.of();
        }
        long found = current.texts.find(classFile);
        String className = internalName.replace('/', '.');
        List<MethodRule> selected = new ArrayList<>();
        for (InForce rule : current.rules) {
            if ((!jdkClass || rule.rule.weavesJdkClasses()) && rule.mayMeter(loader, internalName, className, classFile, found)) {
                selected.add(rule.rule);
            }
        }
        return selected;
    }

    /** Those of {@code rules} that select this method. */
    static List<MethodRule> selecting(List<MethodRule> rules, AnnotatedMethod method) {
        if (rules.isEmpty()) {
            return rules;
        }
        List<MethodRule> selected = new ArrayList<>();
        for (MethodRule rule : rules) {
            if (rule.selects(method)) {
                selected.add(rule);
            }
        }
        return selected;
    }

    static Prepared prepare(List<MethodRule> some) {
        return new Prepared(some, List.of());
    }

    private static final long AGENT_ANNOTATION_BITS = (1L << AGENT_ANNOTATIONS.length) - 1;

    /**
     * Rules with what their class tests need, worked out once, and the texts they look for in
     * class files: the agent's annotations first, then the pending presets' descriptors, each
     * with a bit of its own.
     */
    static final class Prepared {
        final List<InForce> rules;
        final PoolTexts texts;
        /** Whether a rule weaves classes of the JDK's own modules: else none of them is tested. */
        final boolean weaveJdkClasses;
        final String[] triggers;
        final long[] triggerBit;
        final long triggerBits;

        private Prepared(List<MethodRule> some, List<String> triggers) {
            PoolTexts.Builder texts = new PoolTexts.Builder();
            for (String annotation : AGENT_ANNOTATIONS) {
                texts.add(descriptor(annotation), false);
            }
            this.triggers = triggers.toArray(new String[0]);
            triggerBit = new long[this.triggers.length];
            long bits = 0;
            for (int i = 0; i < this.triggers.length; i++) {
                triggerBit[i] = PoolTexts.bit(texts.add(this.triggers[i], true));
                bits |= triggerBit[i];
            }
            triggerBits = bits;
            List<InForce> prepared = new ArrayList<>();
            boolean jdkClasses = false;
            for (MethodRule rule : some) {
                prepared.add(new InForce(rule, texts));
                jdkClasses |= rule.weavesJdkClasses();
            }
            weaveJdkClasses = jdkClasses;
            rules = Collections.unmodifiableList(prepared);
            this.texts = texts.build();
        }

        boolean mayMeter(ClassLoader loader, String internalName, byte[] classFile) {
            return mayMeter(loader, internalName, classFile, rules.isEmpty() ? 0 : texts.find(classFile));
        }

        private boolean mayMeter(ClassLoader loader, String internalName, byte[] classFile, long found) {
            if (rules.isEmpty()) {
                return false;
            }
            String className = internalName.replace('/', '.');
            for (InForce rule : rules) {
                if (rule.mayMeter(loader, internalName, className, classFile, found)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static String descriptor(String type) {
        return "L" + type.replace('.', '/') + ";";
    }

    /** A rule with what its class test needs, worked out once. */
    static final class InForce {
        final MethodRule rule;
        private final int annotationText;
        /** For a rule by supertype: a method name it may select, or its start, as a text of the pool; else -1. */
        private final int methodText;
        /** For a rule by supertype and parameters: the start of the selected methods' descriptor; else -1. */
        private final int parametersText;
        final String supertype;

        InForce(MethodRule rule, PoolTexts.Builder texts) {
            this.rule = rule;
            annotationText = rule.annotation() == null ? -1 : texts.add(descriptor(rule.annotation()), false);
            supertype = rule.supertype() == null ? null : rule.supertype().replace('.', '/');
            String method = rule.methodLiteral();
            methodText = supertype == null || method == null ? -1 : texts.add(method, rule.methodIsPattern());
            String parameters = rule.parametersDescriptor();
            parametersText = supertype == null || parameters == null ? -1 : texts.add(parameters, true);
        }

        /**
         * @param found what {@link PoolTexts#find} found of the list's texts in {@code classFile}; -1
         *              when the pool is not to decide (so that {@code check} tells a class that
         *              declares no selected method from one that does not match)
         */
        boolean mayMeter(ClassLoader loader, String internalName, String className, byte[] classFile, long found) {
            return rule.selectsClassName(className)
                    && (rule.annotation() == null || PoolTexts.has(found, annotationText))
                    && (supertype == null
                        || (PoolTexts.has(found, methodText) && PoolTexts.has(found, parametersText)
                            && Supertypes.reaches(loader, internalName, classFile, supertype)));
        }
    }
}
