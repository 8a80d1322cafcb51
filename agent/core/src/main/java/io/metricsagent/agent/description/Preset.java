package io.metricsagent.agent.description;

import java.util.List;

/**
 * A preset shipped in the agent jar: rules and gauges for one library, written in the
 * configuration language, on unless the {@code presets} option leaves it out. Its file is read
 * only when a class it is triggered by loads, so a JVM without the library never reads it.
 */
public abstract class Preset {

    private final String name;
    private final List<String> classes;
    private final List<String> descriptors;

    /**
     * @param classes     the Java names of the classes whose loading puts it in force
     * @param descriptors the starts of method descriptors, any of which a loading class's constant
     *                    pool holds puts it in force
     */
    protected Preset(String name, List<String> classes, List<String> descriptors) {
        this.name = name;
        this.classes = List.copyOf(classes);
        this.descriptors = List.copyOf(descriptors);
    }

    public String name() {
        return name;
    }

    /** The Java names of the classes whose loading puts the preset in force. */
    public List<String> classes() {
        return classes;
    }

    /**
     * The starts of method descriptors ({@code (Ljakarta/servlet/ServletRequest;}) whose presence in
     * a loading class's constant pool puts the preset in force before the class is woven: a class
     * declaring a method that a rule by supertype selects with those parameters holds it, though
     * the supertype itself may load only after it.
     */
    public List<String> descriptors() {
        return descriptors;
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
