package io.metricsagent.agent.description;

import java.util.List;
import java.util.Objects;

/**
 * One rule of the configuration file: which methods it meters and what to record of them, as read
 * from the file; what it records of one method is described when that method is woven
 * ({@link RuleReader}), where its value names are checked against the method's parameters.
 *
 * <p>A rule selects classes by name (exact, or a pattern with {@code *}), by a supertype (the
 * type itself, and every class that extends or implements it, however indirectly), by an
 * annotation the class or the method carries, or by several of these at once; then methods by
 * name (a pattern too, every method when left out) and optionally parameter types; then leaves
 * out what its exclusions name. The name, the annotation and the supertype are all read from
 * class files, so deciding never loads, initializes or reflects on a class.
 */
public final class MethodRule {

    /** Which of a rule's calls count when one runs inside another the rule (or its group) meters. */
    public enum Nesting {
        /** Only the outermost: one operation passing through several selected methods counts once. */
        OUTERMOST,
        /** Every call. */
        ALL
    }

    private final String where;
    private final Selection selection;
    private final Recipe recipe;
    private final FailedWhen failedWhen;
    private final List<ErrorRule> errors;
    private final Nesting nesting;
    private final String nestingGroup;
    private final CallGate onlyWhen;
    private final CallGate dropWhen;
    private final boolean jdkClasses;

    /**
     * @param where        how messages name the rule, e.g. {@code metrics-agent.yml line 12}
     * @param recipe       what to record of each method selected
     * @param failedWhen   when a call that returns has failed all the same, or {@code null}
     * @param errors       how what a method throws is classified, first match wins: the rule's own
     *                     entries, then the file's
     * @param nestingGroup the group whose outermost call alone counts, or {@code null}: then the rule
     *                     is its own group, unless {@code nesting} is {@link Nesting#ALL}
     */
    public MethodRule(String where, Selection selection, Recipe recipe, FailedWhen failedWhen, List<ErrorRule> errors,
                      Nesting nesting, String nestingGroup) {
        this(where, selection, recipe, failedWhen, errors, nesting, nestingGroup, null, null);
    }

    /**
     * @param onlyWhen read on entry of the outermost call: a call it does not hold for is not
     *                 metered, and still holds the nesting group; {@code null}: every call
     * @param dropWhen read at exit: a call it holds for records nothing; or {@code null}
     */
    public MethodRule(String where, Selection selection, Recipe recipe, FailedWhen failedWhen, List<ErrorRule> errors,
                      Nesting nesting, String nestingGroup, CallGate onlyWhen, CallGate dropWhen) {
        this(where, selection, recipe, failedWhen, errors, nesting, nestingGroup, onlyWhen, dropWhen, false);
    }

    private MethodRule(String where, Selection selection, Recipe recipe, FailedWhen failedWhen, List<ErrorRule> errors,
                       Nesting nesting, String nestingGroup, CallGate onlyWhen, CallGate dropWhen, boolean jdkClasses) {
        this.where = where;
        this.selection = selection;
        this.recipe = recipe;
        this.failedWhen = failedWhen;
        this.errors = List.copyOf(errors);
        this.nesting = nesting;
        this.nestingGroup = nestingGroup;
        this.onlyWhen = onlyWhen;
        this.dropWhen = dropWhen;
        this.jdkClasses = jdkClasses;
    }

    /**
     * The same rule, weaving also the classes of the JDK's own modules it selects, which rules
     * leave out otherwise: a wrapper the JDK puts around the application's code, when that code
     * is a class no agent is shown (a lambda's).
     */
    public MethodRule weavingJdkClasses() {
        return new MethodRule(where, selection, recipe, failedWhen, errors, nesting, nestingGroup, onlyWhen, dropWhen, true);
    }

    /** Whether the rule weaves the classes of the JDK's own modules it selects. */
    public boolean weavesJdkClasses() {
        return jdkClasses;
    }

    public String where() {
        return where;
    }

    Selection selection() {
        return selection;
    }

    Recipe recipe() {
        return recipe;
    }

    /** What the rule records, as the check command names it: its metric's base name, or {@code preset payment}. */
    public String title() {
        return recipe.title();
    }

    FailedWhen failedWhen() {
        return failedWhen;
    }

    List<ErrorRule> errors() {
        return errors;
    }

    Nesting nesting() {
        return nesting;
    }

    String nestingGroup() {
        return nestingGroup;
    }

    CallGate onlyWhen() {
        return onlyWhen;
    }

    CallGate dropWhen() {
        return dropWhen;
    }

    /** The same rule with another selection: what the check command asks of a near miss. */
    MethodRule selecting(Selection other) {
        return new MethodRule(where, other, recipe, failedWhen, errors, nesting, nestingGroup, onlyWhen, dropWhen,
                jdkClasses);
    }

    /** The class name pattern, or {@code null} when the rule selects classes otherwise. */
    public String classPattern() {
        return selection.classPattern;
    }

    /** The Java name of the supertype whose subtypes the rule selects, or {@code null}. */
    public String supertype() {
        return selection.supertype;
    }

    /** The Java name of the annotation a selected method or its class carries, or {@code null}. */
    public String annotation() {
        return selection.annotation;
    }

    /**
     * What the name of every method the rule selects is, or starts with ({@link #methodIsPattern}):
     * the method name, or a pattern's text before its first '*'; {@code null} when a name may start
     * with anything.
     */
    public String methodLiteral() {
        int star = selection.method.indexOf('*');
        return star < 0 ? selection.method : star == 0 ? null : selection.method.substring(0, star);
    }

    /** Whether the method is a pattern, so that {@link #methodLiteral} is the start of the names it selects. */
    public boolean methodIsPattern() {
        return selection.method.indexOf('*') >= 0;
    }

    /**
     * The start of the descriptor of every method the rule selects, its parameters between
     * parentheses ({@code (Ljakarta/servlet/ServletRequest;I)}), as a class that declares one holds
     * it in its constant pool; {@code null} for a rule that takes any parameters.
     */
    public String parametersDescriptor() {
        if (selection.parameters == null) {
            return null;
        }
        StringBuilder descriptor = new StringBuilder("(");
        for (String type : selection.parameters) {
            appendDescriptor(descriptor, type);
        }
        return descriptor.append(')').toString();
    }

    private static void appendDescriptor(StringBuilder descriptor, String javaType) {
        String type = javaType;
        while (type.endsWith("[]")) {
            descriptor.append('[');
            type = type.substring(0, type.length() - 2);
        }
        switch (type) {
            case "boolean": descriptor.append('Z'); break;
            case "byte": descriptor.append('B'); break;
            case "char": descriptor.append('C'); break;
            case "short": descriptor.append('S'); break;
            case "int": descriptor.append('I'); break;
            case "long": descriptor.append('J'); break;
            case "float": descriptor.append('F'); break;
            case "double": descriptor.append('D'); break;
            default:
                descriptor.append('L').append(type.replace('.', '/')).append(';');
        }
    }

    /** Whether the class, by its Java name, may have methods the rule selects. */
    public boolean selectsClassName(String className) {
        if (selection.classPattern != null && !matches(selection.classPattern, className)) {
            return false;
        }
        for (Exclusion exclusion : selection.exclusions) {
            if (exclusion.method == null && matches(exclusion.classPattern, className)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the rule selects this method, its class already selected by name, supertype and annotation. */
    public boolean selects(AnnotatedMethod m) {
        if (!matches(selection.method, m.name())
                || (selection.parameters != null && !selection.parameters.equals(m.parameterTypes()))
                || (selection.annotation != null && !m.carries(selection.annotation))) {
            return false;
        }
        for (Exclusion exclusion : selection.exclusions) {
            if ((exclusion.classPattern == null || matches(exclusion.classPattern, m.className()))
                    && (exclusion.method == null || matches(exclusion.method, m.name()))) {
                return false;
            }
        }
        return true;
    }

    /** The same selection and what it records, wherever in the file: a reload keeps what such a rule wove. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MethodRule)) {
            return false;
        }
        MethodRule other = (MethodRule) o;
        return selection.equals(other.selection) && recipe.equals(other.recipe)
                && Objects.equals(failedWhen, other.failedWhen) && errors.equals(other.errors)
                && nesting == other.nesting && Objects.equals(nestingGroup, other.nestingGroup)
                && Objects.equals(onlyWhen, other.onlyWhen) && Objects.equals(dropWhen, other.dropWhen)
                && jdkClasses == other.jdkClasses;
    }

    @Override
    public int hashCode() {
        return Objects.hash(selection, recipe, failedWhen, errors, nesting, nestingGroup, onlyWhen, dropWhen, jdkClasses);
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

    /** What a rule selects. */
    public static final class Selection {
        final String classPattern;
        final String supertype;
        final String annotation;
        final String method;
        final List<String> parameters;
        final List<Exclusion> exclusions;

        /**
         * @param classPattern a class name or pattern, or {@code null}
         * @param supertype    a class or interface by Java name, or {@code null}
         * @param annotation   an annotation type by Java name, or {@code null}
         * @param method       a method name or pattern, or {@code null} for every method
         * @param parameters   the parameter types as Java names, or {@code null} for any
         */
        public Selection(String classPattern, String supertype, String annotation, String method,
                         List<String> parameters, List<Exclusion> exclusions) {
            if (classPattern == null && supertype == null && annotation == null) {
                throw new IllegalArgumentException("a rule needs class, extends or annotated");
            }
            this.classPattern = classPattern;
            this.supertype = supertype;
            this.annotation = annotation;
            this.method = method == null ? "*" : method;
            this.parameters = parameters == null ? null : List.copyOf(parameters);
            this.exclusions = List.copyOf(exclusions);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Selection)) {
                return false;
            }
            Selection other = (Selection) o;
            return Objects.equals(classPattern, other.classPattern) && Objects.equals(supertype, other.supertype)
                    && Objects.equals(annotation, other.annotation) && method.equals(other.method)
                    && Objects.equals(parameters, other.parameters) && exclusions.equals(other.exclusions);
        }

        @Override
        public int hashCode() {
            return Objects.hash(classPattern, supertype, annotation, method, parameters, exclusions);
        }
    }

    /** Methods a rule leaves out: of classes by name or pattern, by method name or pattern, or both. */
    public static final class Exclusion {
        final String classPattern;
        final String method;

        /** @param classPattern or {@code null} for any class; @param method or {@code null} for every method */
        public Exclusion(String classPattern, String method) {
            if (classPattern == null && method == null) {
                throw new IllegalArgumentException("an exclusion needs class or method");
            }
            this.classPattern = classPattern;
            this.method = method;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Exclusion && Objects.equals(classPattern, ((Exclusion) o).classPattern)
                    && Objects.equals(method, ((Exclusion) o).method);
        }

        @Override
        public int hashCode() {
            return Objects.hash(classPattern, method);
        }
    }
}
