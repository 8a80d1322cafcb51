package io.metricsagent.agent.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One gauge accessor, from a {@code @MeteredGauge} read in the class file or from an entry under
 * {@code gauges:} in the configuration file: which method feeds which series.
 */
public final class GaugeSpec {

    final String methodName;
    final String name;
    final String help;
    private final String[] keysAndValues;
    // Made at the first scrape: the client's Labels would load its naming rules, and their
    // regular expressions, on the application's thread when the class is woven.
    private volatile Labels labels;

    private GaugeSpec(String methodName, String name, String help, String[] keysAndValues) {
        this.methodName = methodName;
        this.name = name;
        this.help = help;
        this.keysAndValues = keysAndValues;
    }

    Labels labels() {
        Labels made = labels;
        if (made == null) {
            labels = made = Labels.of(keysAndValues);
        }
        return made;
    }

    public String name() {
        return name;
    }

    public String methodName() {
        return methodName;
    }

    /** The names of the constant labels. */
    public List<String> labelNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            names.add(keysAndValues[i]);
        }
        return names;
    }

    /**
     * @param labelPairs the annotation's {@code key=value} strings
     * @throws IllegalArgumentException quoting a pair that is not {@code key=value} (names are
     *                                  checked where the gauge is declared)
     */
    public static GaugeSpec of(String methodName, String name, String help, String[] labelPairs) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("@MeteredGauge on " + methodName + "() has an empty name");
        }
        String[] keysAndValues = new String[labelPairs.length * 2];
        for (int i = 0; i < labelPairs.length; i++) {
            int eq = labelPairs[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@MeteredGauge(name=\"" + name + "\") label '" + labelPairs[i]
                        + "' is not of the form key=value");
            }
            keysAndValues[2 * i] = labelPairs[i].substring(0, eq).trim();
            keysAndValues[2 * i + 1] = labelPairs[i].substring(eq + 1).trim();
        }
        return new GaugeSpec(methodName, name, help, keysAndValues);
    }

    /**
     * @param labels the constant labels, in order (names are checked where the gauge is declared)
     */
    public static GaugeSpec of(String methodName, String name, String help, Map<String, String> labels) {
        String[] keysAndValues = new String[labels.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            keysAndValues[i++] = label.getKey();
            keysAndValues[i++] = label.getValue();
        }
        return new GaugeSpec(methodName, name, help, keysAndValues);
    }
}
