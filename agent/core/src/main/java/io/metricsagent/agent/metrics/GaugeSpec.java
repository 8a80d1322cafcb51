package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.ValueSource;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One gauge accessor, from a {@code @MeteredGauge} read in the class file or from an entry under
 * {@code gauges:} in the configuration file: which method, or which path into each instance,
 * feeds which series. A label is a constant, or {@code this} or {@code this.path}: read from each
 * instance at scrape time.
 */
public final class GaugeSpec {

    /** The method read, or {@code null} when {@link #valuePath} is. */
    final String methodName;
    /** The path into each instance read after {@code this}, or {@code null} when a method is. */
    final List<String> valuePath;
    final String name;
    final String help;
    private final String[] labelNames;
    /** Each label's constant value, or {@code null} where it is read from the instance. */
    private final String[] constants;
    /** Each label's path into the instance after {@code this} (empty for {@code this} itself), or {@code null} for a constant. */
    private final List<List<String>> paths;
    private final boolean readsInstance;
    // Made at the first scrape: the client's Labels would load its naming rules, and their
    // regular expressions, on the application's thread when the class is woven.
    private volatile Labels labels;

    private GaugeSpec(String methodName, List<String> valuePath, String name, String help, String[] labelNames,
                      String[] values, boolean isStatic) {
        this.methodName = methodName;
        this.valuePath = valuePath;
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
        constants = new String[values.length];
        paths = new ArrayList<>();
        boolean instance = false;
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value.equals("this") || value.startsWith("this.")) {
                if (isStatic) {
                    throw new IllegalArgumentException("label '" + labelNames[i] + "' reads the instance (" + value
                            + "), and " + methodName + "() is static");
                }
                List<String> path = ValueSource.plainPath(value);
                paths.add(path.subList(1, path.size()));
                instance = true;
            } else {
                constants[i] = value;
                paths.add(null);
            }
        }
        readsInstance = instance;
    }

    /** The labels of a gauge that reads none from the instance. */
    Labels labels() {
        Labels made = labels;
        if (made == null) {
            labels = made = Labels.of(labelNames, constants);
        }
        return made;
    }

    /** Whether some label is read from the instance, so that each instance may have labels of its own. */
    boolean readsInstance() {
        return readsInstance;
    }

    /** The labels of an instance: {@code values} has the values read from it where the path labels are. */
    Labels labels(String[] values) {
        for (int i = 0; i < values.length; i++) {
            if (constants[i] != null) {
                values[i] = constants[i];
            }
        }
        return Labels.of(labelNames, values);
    }

    /** Label {@code i}'s path into the instance after {@code this}, or {@code null} for a constant. */
    List<String> path(int i) {
        return paths.get(i);
    }

    public String name() {
        return name;
    }

    /** The method read, or {@code null} for a gauge of a value. */
    public String methodName() {
        return methodName;
    }

    /** The names of the labels, constant and read from the instance. */
    public List<String> labelNames() {
        return List.of(labelNames);
    }

    /**
     * @param labelPairs the annotation's {@code key=value} strings
     * @param isStatic   whether the method is static, when no label may read the instance
     * @throws IllegalArgumentException quoting a pair that is not {@code key=value}, or a path
     *                                  that is not one (names are checked where the gauge is declared)
     */
    public static GaugeSpec of(String methodName, String name, String help, String[] labelPairs, boolean isStatic) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("@MeteredGauge on " + methodName + "() has an empty name");
        }
        String[] names = new String[labelPairs.length];
        String[] values = new String[labelPairs.length];
        for (int i = 0; i < labelPairs.length; i++) {
            int eq = labelPairs[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@MeteredGauge(name=\"" + name + "\") label '" + labelPairs[i]
                        + "' is not of the form key=value");
            }
            names[i] = labelPairs[i].substring(0, eq).trim();
            values[i] = labelPairs[i].substring(eq + 1).trim();
        }
        return new GaugeSpec(methodName, null, name, help, names, values, isStatic);
    }

    /**
     * @param labels   the labels, in order (names are checked where the gauge is declared)
     * @param isStatic whether the method is static, when no label may read the instance
     * @throws IllegalArgumentException for a label path that is not one
     */
    public static GaugeSpec of(String methodName, String name, String help, Map<String, String> labels,
                               boolean isStatic) {
        return new GaugeSpec(methodName, null, name, help, labels.keySet().toArray(new String[0]),
                labels.values().toArray(new String[0]), isStatic);
    }

    /**
     * A gauge of a value of each instance rather than of a method.
     *
     * @param value  {@code this.path}
     * @param labels the labels, in order (names are checked where the gauge is declared)
     * @throws IllegalArgumentException for a path that is not one
     */
    public static GaugeSpec ofValue(String value, String name, String help, Map<String, String> labels) {
        List<String> path = ValueSource.plainPath(value);
        if (path.size() < 2 || !path.get(0).equals("this")) {
            throw new IllegalArgumentException("value '" + value + "' is not of the form this.name.name...");
        }
        return new GaugeSpec(null, path.subList(1, path.size()), name, help, labels.keySet().toArray(new String[0]),
                labels.values().toArray(new String[0]), false);
    }
}
