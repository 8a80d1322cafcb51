package io.metricsagent.agent.description;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry under {@code gauges:} in the configuration file: a method without arguments of one
 * class, by its exact name, read at every scrape as a gauge, as {@code @MeteredGauge} is. Kept as
 * written until its class is woven, where the method is looked for; naming one class exactly,
 * it lets the transformer pass over every other class on its name alone.
 */
public final class GaugeRule {

    private final String where;
    private final String className;
    private final String method;
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
        this.where = where;
        this.className = className;
        this.method = method;
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

    public String method() {
        return method;
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
        return className.equals(other.className) && method.equals(other.method) && name.equals(other.name)
                && Objects.equals(help, other.help) && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, method, name, help, labels);
    }
}
