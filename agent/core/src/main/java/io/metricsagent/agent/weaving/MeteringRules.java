package io.metricsagent.agent.weaving;

import io.metricsagent.agent.instrument.AnnotatedMethod;
import io.metricsagent.agent.instrument.MethodRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The configuration file's rules in force. The transformer asks, by class name alone, whether a
 * class may have methods a rule selects; only such a class (or one that names an annotation) is
 * read any further.
 */
public final class MeteringRules {

    private static volatile List<MethodRule> rules = Collections.emptyList();

    private MeteringRules() {}

    /** Puts these rules in force, for classes woven from now on. */
    public static void use(List<MethodRule> inForce) {
        rules = Collections.unmodifiableList(new ArrayList<>(inForce));
    }

    /** Whether a rule may select methods of this class; {@code internalName} as the transformer gets it. */
    static boolean mayMeter(String internalName) {
        List<MethodRule> current = rules;
        if (current.isEmpty()) {
            return false;
        }
        String className = internalName.replace('/', '.');
        for (MethodRule rule : current) {
            if (rule.selectsClass(className)) {
                return true;
            }
        }
        return false;
    }

    /** The rules that may select methods of this class. */
    static List<MethodRule> forClass(String className) {
        List<MethodRule> selected = new ArrayList<>();
        for (MethodRule rule : rules) {
            if (rule.selectsClass(className)) {
                selected.add(rule);
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
}
