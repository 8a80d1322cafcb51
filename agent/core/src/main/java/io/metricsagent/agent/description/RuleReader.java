package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a configuration rule, for one method it selects, into a {@link MethodMeter}: the second
 * reader of the engine beside {@link AnnotationReader}, and the same families. A value is named
 * as {@code args[0]}, a parameter's name (where the class file keeps it), {@code this} or
 * {@code return}, followed by a path: {@code request.customer.tier}, {@code return.status}; a label
 * may also be {@code $class} or {@code $method}, the names of what a rule with a pattern selected.
 */
public final class RuleReader {

    private RuleReader() {}

    /**
     * @throws IllegalArgumentException saying what in the rule does not fit the method
     */
    public static MethodMeter read(MethodRule rule, AnnotatedMethod method) {
        MethodMeter meter = gated(classified(rule.recipe().describe(method, rule.failedWhen()), rule.errors()), rule,
                method);
        if (rule.nestingGroup() != null) {
            return meter.nested(AnnotationReader.GROUP + rule.nestingGroup());
        }
        // A rule selects many methods, and one operation passing through several is one operation.
        // The rule itself is the group: equal rules (a reload keeps what such a rule wove) share it.
        return rule.nesting() == MethodRule.Nesting.ALL ? meter : meter.nested(rule);
    }

    /**
     * The rule's {@code errors:}, its own entries then the file's. A severity is the severity
     * label's; where the method has none (only the file's entries can give one there) it is not used.
     */
    private static MethodMeter classified(MethodMeter meter, List<ErrorRule> entries) {
        if (entries.isEmpty()) {
            return meter;
        }
        boolean severityLabel = false;
        for (FamilySpec family : meter.families()) {
            for (LabelSource label : family.labels()) {
                severityLabel |= label.kind() == LabelSource.Kind.SEVERITY;
            }
        }
        List<ErrorRule> errors = entries;
        if (!severityLabel) {
            errors = new ArrayList<>();
            for (ErrorRule entry : entries) {
                errors.add(new ErrorRule(entry.type(), entry.errorType(), ErrorRule.Severity.BY_NUMBER, entry.causes()));
            }
        }
        return new MethodMeter(meter.method(), meter.values(), meter.number(), meter.numberWhenAbsent(),
                meter.families(), meter.failure(), errors);
    }

    private static MethodMeter gated(MethodMeter meter, MethodRule rule, AnnotatedMethod method) {
        CallGate onlyWhen = rule.onlyWhen();
        CallGate dropWhen = rule.dropWhen();
        if (onlyWhen == null && dropWhen == null) {
            return meter;
        }
        ValueSource entry = null;
        if (onlyWhen != null) {
            entry = source(onlyWhen.value(), method);
            if (entry.isReturnValue()) {
                throw new IllegalArgumentException("only_when is read on entry, before there is a return value");
            }
        }
        return meter.gated(entry, onlyWhen, dropWhen == null ? null : source(dropWhen.value(), method), dropWhen);
    }

    /** {@code args[N]}, a parameter's name, {@code this} or {@code return}, then a dotted path. */
    static ValueSource source(String spec, AnnotatedMethod method) {
        if (Recall.is(spec)) {
            throw new IllegalArgumentException("'" + spec + "': a recalled text is a label's value, not read here");
        }
        int dot = spec.indexOf('.');
        String root = dot < 0 ? spec : spec.substring(0, dot);
        List<String> path = ValueSource.path(dot < 0 ? "" : spec.substring(dot + 1));
        if (root.equals("return")) {
            if (method.returnType().equals("void")) {
                throw new IllegalArgumentException("'" + spec + "': the method returns void");
            }
            return ValueSource.returnValue(path);
        }
        if (root.equals("this")) {
            return ValueSource.thisObject(path);
        }
        if (root.startsWith("args[") && root.endsWith("]")) {
            int index;
            try {
                index = Integer.parseInt(root.substring(5, root.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + spec + "' is not args[N]");
            }
            if (index < 0 || index >= method.parameterTypes().size()) {
                throw new IllegalArgumentException("'" + spec + "': the method has " + method.parameterTypes().size()
                        + " parameters");
            }
            return ValueSource.argument(index, path);
        }
        int index = method.parameterNames().indexOf(root);
        if (index < 0) {
            throw new IllegalArgumentException("'" + spec + "': no parameter named '" + root + "'"
                    + (method.parameterNames().contains(null) ? " (the class file keeps no parameter names: use args[N])" : ""));
        }
        return ValueSource.argument(index, path);
    }

    /** {@code com.shop.Outer$Inner} reads {@code Inner}, as Java's simple name; an anonymous class keeps {@code Outer$1}. */
    static String simpleName(String className) {
        String name = className.substring(className.lastIndexOf('.') + 1);
        int dollar = name.lastIndexOf('$');
        if (dollar >= 0 && dollar < name.length() - 1 && !Character.isDigit(name.charAt(dollar + 1))) {
            return name.substring(dollar + 1);
        }
        return name;
    }
}
