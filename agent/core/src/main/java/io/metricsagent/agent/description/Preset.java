package io.metricsagent.agent.description;

import java.util.List;

/**
 * A preset shipped in the agent jar: rules and gauges for one library, written in the
 * configuration language, on unless the {@code presets} option leaves it out. Its file is read
 * only when one of the classes it names first loads, so a JVM without the library never reads it.
 */
public abstract class Preset {

    private final String name;
    private final List<String> classes;

    /** @param classes the Java names of the classes its rules and gauges select, each exactly */
    protected Preset(String name, List<String> classes) {
        this.name = name;
        this.classes = List.copyOf(classes);
    }

    public String name() {
        return name;
    }

    /** The Java names of the classes whose loading puts the preset in force. */
    public List<String> classes() {
        return classes;
    }

    /**
     * Reads the preset's file.
     *
     * @throws IllegalArgumentException saying what in the file is wrong
     */
    public abstract Contents read();

    /** What a preset's file holds. */
    public static final class Contents {
        public final List<MethodRule> rules;
        public final List<GaugeRule> gauges;

        public Contents(List<MethodRule> rules, List<GaugeRule> gauges) {
            this.rules = List.copyOf(rules);
            this.gauges = List.copyOf(gauges);
        }
    }
}
