package io.metricsagent.agent.instrument;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a configuration rule, for one method it selects, into a {@link MethodMeter}: the second
 * reader of the engine beside {@link AnnotationReader}, and the same families. A value is named
 * as {@code args[0]}, a parameter's name (where the class file keeps it), {@code this} or
 * {@code return}, followed by a path: {@code request.customer.tier}, {@code return.status}; a label
 * may also be {@code $class} or {@code $method}, the names of what a rule with a pattern selected.
 */
public final class RuleReader {

    /** A label whose value is the simple name of the class that declares the method: one rule, many classes. */
    static final String CLASS = "$class";
    /** A label whose value is the method's name: one rule, many methods. */
    static final String METHOD = "$method";

    private RuleReader() {}

    /**
     * @throws IllegalArgumentException saying what in the rule does not fit the method
     */
    public static MethodMeter read(MethodRule rule, AnnotatedMethod method) {
        MethodMeter meter = describe(rule.recipe(), method);
        Object group = rule.recipe().get("nesting_group");
        if (group != null) {
            return meter.nested(AnnotationReader.GROUP + group);
        }
        // A rule selects many methods, and one operation passing through several is one operation.
        // The rule itself is the group: equal rules (a reload keeps what such a rule wove) share it.
        return "all".equals(rule.recipe().get("nesting")) ? meter : meter.nested(rule);
    }

    private static MethodMeter describe(Map<String, Object> recipe, AnnotatedMethod method) {
        List<ValueSource> values = new ArrayList<>();
        if ("payment".equals(recipe.get("preset"))) {
            MethodMeter payment = PaymentPreset.describe(method.describe(),
                    text(recipe, "gateway", "unknown"), text(recipe, "currency", "USD"), text(recipe, "service", "payment"),
                    source(recipe, "amount", method), source(recipe, "user_tier", method),
                    source(recipe, "payment_method", method), severityAbove(recipe));
            values.addAll(payment.values());
            FailureCondition failure = failure(recipe, method, values);
            return classified(new MethodMeter(payment.method(), values, payment.number(), payment.numberWhenAbsent(),
                    payment.families(), failure), recipe);
        }
        String name = text(recipe, "name", "");
        GeneralMeter.checkBaseName(name, "name '" + name + "'");
        String help = text(recipe, "help", "");
        if (help.isEmpty()) {
            help = "Calls of " + method.describe();
        }
        List<String> labelNames = new ArrayList<>();
        List<LabelSource> labels = new ArrayList<>();
        for (Map.Entry<String, Object> constant : map(recipe, "constants").entrySet()) {
            labelNames.add(constant.getKey());
            labels.add(LabelSource.constant(String.valueOf(constant.getValue())));
        }
        for (Map.Entry<String, Object> label : map(recipe, "labels").entrySet()) {
            labelNames.add(label.getKey());
            String spec = String.valueOf(label.getValue());
            if (spec.equals(CLASS)) {
                labels.add(LabelSource.constant(simpleName(method.className())));
            } else if (spec.equals(METHOD)) {
                labels.add(LabelSource.constant(method.name()));
            } else {
                labels.add(LabelSource.value(AnnotationReader.add(values, source(spec, method))));
            }
        }
        ValueSource number = null;
        FamilySpec.Builder observed = null;
        Map<String, Object> observe = map(recipe, "observe");
        if (!observe.isEmpty()) {
            number = source(String.valueOf(observe.get("value")), method);
            String observeName = text(observe, "name", "");
            observed = FamilySpec.histogram(observeName, text(observe, "help", "Values of " + observe.get("value")
                    + " in " + method.describe()), AnnotationReader.doubles(observe, "buckets",
                    AnnotationReader.DEFAULT_OBSERVE_BUCKETS), FamilySpec.Observed.NUMBER);
        }
        FailureCondition failure = failure(recipe, method, values);
        return classified(GeneralMeter.describe(method.describe(), name, help,
                AnnotationReader.doubles(recipe, "buckets", AnnotationReader.DEFAULT_DURATION_BUCKETS),
                !Boolean.FALSE.equals(recipe.get("outcome")), !Boolean.FALSE.equals(recipe.get("exception")),
                labelNames, labels, values, number, observed, failure, Boolean.TRUE.equals(recipe.get("in_flight"))),
                recipe);
    }

    /**
     * {@code errors: [{type, error_type, severity, causes}]}: the rule's own entries, then the
     * file's. A severity names one of the severity label's texts; where the method has no severity
     * label (only the file's entries can give one there) it is not used.
     */
    private static MethodMeter classified(MethodMeter meter, Map<String, Object> recipe) {
        Object entries = recipe.get("errors");
        if (!(entries instanceof List) || ((List<?>) entries).isEmpty()) {
            return meter;
        }
        LabelSource severityLabel = null;
        for (FamilySpec family : meter.families()) {
            for (LabelSource label : family.labels()) {
                if (label.kind() == LabelSource.Kind.SEVERITY) {
                    severityLabel = label;
                }
            }
        }
        List<ErrorRule> errors = new ArrayList<>();
        for (Object entry : (List<?>) entries) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) entry;
            Object severityText = fields.get("severity");
            ErrorRule.Severity severity = ErrorRule.Severity.BY_NUMBER;
            if (severityText != null && severityLabel != null) {
                if (severityText.equals(severityLabel.text())) {
                    severity = ErrorRule.Severity.ABOVE;
                } else if (severityText.equals(severityLabel.otherText())) {
                    severity = ErrorRule.Severity.OTHERWISE;
                } else {
                    throw new IllegalArgumentException("errors: severity '" + severityText + "' of "
                            + fields.get("type") + " is neither " + severityLabel.text() + " nor "
                            + severityLabel.otherText());
                }
            }
            errors.add(new ErrorRule(String.valueOf(fields.get("type")), String.valueOf(fields.get("error_type")),
                    severity, Boolean.TRUE.equals(fields.get("causes"))));
        }
        return new MethodMeter(meter.method(), meter.values(), meter.number(), meter.numberWhenAbsent(),
                meter.families(), meter.failure(), errors);
    }

    /** {@code failed_when: {value: return.status, equals: DECLINED}} (or not_equals, in, is_null). */
    private static FailureCondition failure(Map<String, Object> recipe, AnnotatedMethod method, List<ValueSource> values) {
        Map<String, Object> when = map(recipe, "failed_when");
        if (when.isEmpty()) {
            return null;
        }
        int value = AnnotationReader.add(values, source(String.valueOf(when.get("value")), method));
        Set<String> texts = new LinkedHashSet<>();
        boolean failsWhenIn = true;
        boolean failsWhenNull = Boolean.TRUE.equals(when.get("is_null"));
        if (when.containsKey("equals")) {
            texts.add(String.valueOf(when.get("equals")));
        } else if (when.containsKey("not_equals")) {
            texts.add(String.valueOf(when.get("not_equals")));
            failsWhenIn = false;
        } else if (when.get("in") instanceof List) {
            for (Object text : (List<?>) when.get("in")) {
                texts.add(String.valueOf(text));
            }
        }
        String errorType = text(when, "error_type", texts.size() == 1 && failsWhenIn ? texts.iterator().next() : "failed_when");
        return new FailureCondition(value, texts, failsWhenIn, failsWhenNull, errorType);
    }

    /** {@code severity_above}: the amount above which a payment failure is of high severity. */
    private static double severityAbove(Map<String, Object> recipe) {
        Object value = recipe.get("severity_above");
        if (value == null) {
            return PaymentPreset.HIGH_SEVERITY_ABOVE;
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("severity_above '" + value + "' is not a number");
        }
    }

    private static ValueSource source(Map<String, Object> recipe, String key, AnnotatedMethod method) {
        Object spec = recipe.get(key);
        return spec == null ? null : source(String.valueOf(spec), method);
    }

    /** {@code args[N]}, a parameter's name, {@code this} or {@code return}, then a dotted path. */
    static ValueSource source(String spec, AnnotatedMethod method) {
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

    private static String text(Map<String, Object> recipe, String key, String fallback) {
        Object value = recipe.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> recipe, String key) {
        Object value = recipe.get(key);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }
}
