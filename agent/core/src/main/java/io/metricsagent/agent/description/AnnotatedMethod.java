package io.metricsagent.agent.description;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A method as its class file declares it, with the values of its annotations: what the weaver
 * reads before anything is loaded, and what {@link AnnotationReader} describes from.
 * Annotation values are strings, boxed primitives, primitive arrays, or lists of those.
 */
public final class AnnotatedMethod {

    private final String className;
    private final String name;
    private final List<String> parameterTypes;
    private final List<String> parameterNames;
    private final String returnType;
    private final Map<String, Map<String, Object>> annotations;
    private final List<Map<String, Map<String, Object>>> parameterAnnotations;
    private final Set<String> carried;

    /**
     * @param parameterTypes       Java type names, e.g. {@code double}, {@code java.lang.String}
     * @param parameterNames       as the class file keeps them, {@code null} where it does not
     * @param annotations          by annotation type name, each attribute by name
     * @param parameterAnnotations the same for each parameter
     * @param carried              the type names of every annotation the method or its class carries
     */
    public AnnotatedMethod(String className, String name, List<String> parameterTypes, List<String> parameterNames,
                           String returnType,
                           Map<String, Map<String, Object>> annotations,
                           List<Map<String, Map<String, Object>>> parameterAnnotations, Set<String> carried) {
        this.className = className;
        this.name = name;
        this.parameterTypes = Collections.unmodifiableList(parameterTypes);
        this.parameterNames = Collections.unmodifiableList(parameterNames);
        this.returnType = returnType;
        this.annotations = annotations;
        this.parameterAnnotations = parameterAnnotations;
        this.carried = carried;
    }

    public String className() {
        return className;
    }

    public String name() {
        return name;
    }

    public List<String> parameterTypes() {
        return parameterTypes;
    }

    /** The parameters' names where the class file keeps them (debug information or -parameters); else nulls. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    public String returnType() {
        return returnType;
    }

    /** The attributes of the method's annotation of this type, or {@code null}. */
    public Map<String, Object> annotation(String type) {
        return annotations.get(type);
    }

    /** Whether the method or its class carries an annotation of this type, the agent's or any other. */
    public boolean carries(String type) {
        return carried.contains(type);
    }

    /** The attributes of parameter {@code index}'s annotation of this type, or {@code null}. */
    public Map<String, Object> parameterAnnotation(int index, String type) {
        return index < parameterAnnotations.size() ? parameterAnnotations.get(index).get(type) : null;
    }

    /** How messages name the method: {@code com.shop.Orders.place()}. */
    public String describe() {
        return className + "." + name + "()";
    }
}
