package io.metricsagent.agent.description;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry under {@code gauges:} in the configuration file: a method without arguments of one
 * class, by its exact name, read at every scrape as a gauge, as {@code @MeteredGauge} is; or,
 * instead of a method, a path into each instance ({@code this.config.maximumPoolSize}). Kept as
 * written until its class is woven, where the method is looked for; naming one class exactly,
 * it lets the transformer pass over every other class on its name alone.
 */
public final class GaugeRule {

    private final String where;
    private final String className;
    private final String method;
    private final String value;
    private final String name;
    private final String help;
    private final Map<String, String> labels;

    /**
     * @param where  how messages name the entry, e.g. {@code metrics-agent.yml line 30}
     * @param help   {@code null} for the default, which names the method
     * @param labels labels in the file's order: constants, or {@code this} or {@code this.path}, read
     *               from each instance
     */
    public GaugeRule(String where, String className, String method, String name, String help,
                     Map<String, String> labels) {
        this(where, className, method, null, name, help, labels);
    }

    /**
     * @param method the method read, or {@code null} when {@code value} is given
     * @param value  {@code this.path}, read from each instance, or {@code null} when {@code method} is given
     */
    public GaugeRule(String where, String className, String method, String value, String name, String help,
                     Map<String, String> labels) {
        if ((method == null) == (value == null)) {
            throw new IllegalArgumentException("a gauge reads a method or a value");
        }
        this.where = where;
        this.className = className;
        this.method = method;
        this.value = value;
        this.name = name;
        this.help = help;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public String where() {
        return where;
    }

    /** The class's Java name (nested classes with {@code $}). */
    public String className() {
        return className;
    }

    /** The method read, or {@code null} for a gauge of a {@link #value()}. */
    public String method() {
        return method;
    }

    /** The path into each instance read ({@code this.config.maximumPoolSize}), or {@code null} for a gauge of a method. */
    public String value() {
        return value;
    }

    /** What the gauge reads, as messages name it: {@code Class.method()} or {@code Class this.path}. */
    public String reads() {
        return method != null ? className + "." + method + "()" : className + " " + value;
    }

    public String name() {
        return name;
    }

    /** The help text, or {@code null} when the file gives none. */
    public String help() {
        return help;
    }

    public Map<String, String> labels() {
        return labels;
    }

    /** The same gauge wherever in the file: a reload keeps it as it is read. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GaugeRule)) {
            return false;
        }
        GaugeRule other = (GaugeRule) o;
        return className.equals(other.className) && Objects.equals(method, other.method)
                && Objects.equals(value, other.value) && name.equals(other.name)
                && Objects.equals(help, other.help) && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, method, value, name, help, labels);
    }
}
