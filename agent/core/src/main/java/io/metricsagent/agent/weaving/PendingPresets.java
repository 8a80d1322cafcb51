package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.Preset;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The presets chosen and not yet in force, by the classes they select: a preset's file is read
 * (and SnakeYAML loaded) when the first of them loads, so a JVM without the preset's library
 * pays one look-up in this map per loading class, and reads nothing.
 */
final class PendingPresets {

    /** By the internal name of a class a pending preset selects. */
    private volatile Map<String, Preset> byClass = Collections.emptyMap();

    synchronized void use(List<Preset> chosen) {
        Map<String, Preset> pending = new HashMap<>();
        for (Preset preset : chosen) {
            for (String className : preset.classes()) {
                pending.put(className.replace('.', '/'), preset);
            }
        }
        byClass = pending;
    }

    /** Whether a pending preset selects this class; {@code internalName} as the transformer gets it. */
    boolean selects(String internalName) {
        Map<String, Preset> pending = byClass;
        return !pending.isEmpty() && pending.containsKey(internalName);
    }

    /** The pending preset that selects this class, no longer pending; {@code null} when there is none. */
    synchronized Preset take(String internalName) {
        Preset preset = byClass.get(internalName);
        if (preset == null) {
            return null;
        }
        Map<String, Preset> rest = new HashMap<>(byClass);
        for (Iterator<Preset> it = rest.values().iterator(); it.hasNext(); ) {
            if (it.next() == preset) {
                it.remove();
            }
        }
        byClass = rest;
        return preset;
    }
}
