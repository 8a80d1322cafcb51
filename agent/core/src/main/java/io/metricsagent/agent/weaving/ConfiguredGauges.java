package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.GaugeRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration file's gauges in force, by the exact name of their class: the transformer
 * lets a class named by one through on its name, and the weaver finds each one's method when
 * the class is woven ({@link ConfiguredGaugeReader}). The list is replaced whole; a class woven
 * again replaces the gauges it had ({@link io.metricsagent.agent.metrics.GaugeSources}). Nothing
 * here loads ASM: the transformer asks it about every class that loads.
 */
public final class ConfiguredGauges {

    /** The gauges by the internal name of their class, as the transformer gets it. */
    private volatile Map<String, List<GaugeRule>> byClass = Collections.emptyMap();
    private volatile List<GaugeRule> inForce = Collections.emptyList();

    /** Puts these gauges in force, for classes woven from now on. */
    void use(List<GaugeRule> inForce) {
        Map<String, List<GaugeRule>> map = new HashMap<>();
        for (GaugeRule rule : inForce) {
            String internalName = rule.className().replace('.', '/');
            List<GaugeRule> rules = map.get(internalName);
            if (rules == null) {
                rules = new ArrayList<>();
                map.put(internalName, rules);
            }
            rules.add(rule);
        }
        byClass = map;
        this.inForce = List.copyOf(inForce);
    }

    /** The gauges in force. */
    List<GaugeRule> inForce() {
        return inForce;
    }

    /** Whether a gauge in force names this class; {@code internalName} as the transformer gets it. */
    boolean mayRead(String internalName) {
        return byClass.containsKey(internalName);
    }

    /** The gauges in force that name this class, or {@code null}. */
    List<GaugeRule> forClass(String internalName) {
        return byClass.get(internalName);
    }
}
