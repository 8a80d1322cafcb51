package io.metricsagent.agent.instrument;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One rule of the configuration file: which methods it meters, chosen by class (exact, or a
 * pattern with {@code *}), method name and optionally parameter types, and what to record of
 * them, kept as written until a method it selects is woven ({@link RuleReader} reads it then).
 * Selecting by name only, it never needs a class loaded: a class that no rule names is passed
 * over on its name alone.
 */
public final class MethodRule {

    private final String where;
    private final String classPattern;
    private final String method;
    private final List<String> parameters;
    private final Map<String, Object> recipe;

    /**
     * @param where      how messages name the rule, e.g. {@code metrics-agent.yml line 12}
     * @param parameters the parameter types as Java names, or {@code null} for any
     * @param recipe     what to record: the rule's other keys, as the file gives them
     */
    public MethodRule(String where, String classPattern, String method, List<String> parameters,
                      Map<String, Object> recipe) {
        this.where = where;
        this.classPattern = classPattern;
        this.method = method;
        this.parameters = parameters == null ? null : Collections.unmodifiableList(parameters);
        this.recipe = Collections.unmodifiableMap(recipe);
    }

    public String where() {
        return where;
    }

    Map<String, Object> recipe() {
        return recipe;
    }

    /** Whether the class, by its Java name, is one the rule may select methods of. */
    public boolean selectsClass(String className) {
        return matches(classPattern, className);
    }

    /** Whether the rule selects this method (its class already selected). */
    public boolean selects(AnnotatedMethod m) {
        return matches(method, m.name()) && (parameters == null || parameters.equals(m.parameterTypes()));
    }

    // '*' stands for any run of characters, so "com.shop.*" is every class under com.shop.
    static boolean matches(String pattern, String text) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(text);
        }
        if (!text.startsWith(pattern.substring(0, star))) {
            return false;
        }
        String rest = pattern.substring(star + 1);
        for (int i = star; i <= text.length(); i++) {
            if (matches(rest, text.substring(i))) {
                return true;
            }
        }
        return false;
    }
}
