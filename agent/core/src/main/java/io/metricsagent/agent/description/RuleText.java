package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration rule as the check command names it, in the file's own words:
 * {@code gateway_charges (extends com.shop.Gateway, method charge, exclude {class: com.shop.Sandbox*})}.
 */
public final class RuleText {

    private RuleText() {}

    /** Its metric's base name (or {@code preset payment}), then what it selects. */
    public static String describe(MethodRule rule) {
        String name = rule.recipe().title();
        List<String> parts = new ArrayList<>();
        parts.add(classes(rule));
        MethodRule.Selection selection = rule.selection();
        if (!selection.method.equals("*")) {
            parts.add("method " + selection.method);
        }
        if (selection.parameters != null) {
            parts.add("parameters [" + String.join(", ", selection.parameters) + "]");
        }
        for (MethodRule.Exclusion exclusion : selection.exclusions) {
            List<String> keys = new ArrayList<>();
            if (exclusion.classPattern != null) {
                keys.add("class: " + exclusion.classPattern);
            }
            if (exclusion.method != null) {
                keys.add("method: " + exclusion.method);
            }
            parts.add("exclude {" + String.join(", ", keys) + "}");
        }
        return name + " (" + String.join(", ", parts) + ")";
    }

    /** What it selects classes by: {@code class com.shop.*, annotated com.shop.Endpoint}. */
    public static String classes(MethodRule rule) {
        MethodRule.Selection selection = rule.selection();
        List<String> parts = new ArrayList<>();
        if (selection.classPattern != null) {
            parts.add("class " + selection.classPattern);
        }
        if (selection.supertype != null) {
            parts.add("extends " + selection.supertype);
        }
        if (selection.annotation != null) {
            parts.add("annotated " + selection.annotation);
        }
        return String.join(", ", parts);
    }

    /** The parameter types the rule names, as written: {@code [com.shop.Order]}; {@code null} when it names none. */
    public static String parameters(MethodRule rule) {
        List<String> parameters = rule.selection().parameters;
        return parameters == null ? null : "[" + String.join(", ", parameters) + "]";
    }

    /** Whether the rule would select the method if it named no parameter types: another overload of a method it names. */
    public static boolean selectsButForParameters(MethodRule rule, AnnotatedMethod method) {
        MethodRule.Selection selection = rule.selection();
        MethodRule.Selection anyOverload = new MethodRule.Selection(selection.classPattern, selection.supertype,
                selection.annotation, selection.method, null, selection.exclusions);
        return selection.parameters != null && !rule.selects(method)
                && rule.selecting(anyOverload).selects(method);
    }
}
