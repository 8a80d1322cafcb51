package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.Preset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The presets chosen and not yet in force, by what puts them in force: a preset's file is read
 * (and SnakeYAML loaded) when the first class it is triggered by loads, so a JVM without the
 * preset's library pays one look-up in a map and a few texts in the constant-pool walk it makes
 * anyway ({@link MeteringRules}) per loading class, and reads nothing.
 */
final class PendingPresets {

    /** By the internal name of a class whose loading puts a pending preset in force. */
    private volatile Map<String, Preset> byClass = Collections.emptyMap();
    /** By the start of a method descriptor whose presence in a loading class's pool puts a pending preset in force. */
    private volatile Map<String, Preset> byDescriptor = Collections.emptyMap();

    synchronized void use(List<Preset> chosen) {
        Map<String, Preset> classes = new HashMap<>();
        Map<String, Preset> descriptors = new HashMap<>();
        for (Preset preset : chosen) {
            for (String className : preset.classes()) {
                classes.put(className.replace('.', '/'), preset);
            }
            for (String descriptor : preset.descriptors()) {
                descriptors.put(descriptor, preset);
            }
        }
        byClass = classes;
        byDescriptor = descriptors;
    }

    /** Whether a pending preset is put in force by this class; {@code internalName} as the transformer gets it. */
    boolean selects(String internalName) {
        Map<String, Preset> pending = byClass;
        return !pending.isEmpty() && pending.containsKey(internalName);
    }

    /** The starts of method descriptors that put a pending preset in force. */
    List<String> descriptors() {
        return new ArrayList<>(byDescriptor.keySet());
    }

    /** The pending preset put in force by this class, no longer pending; {@code null} when there is none. */
    synchronized Preset takeByClass(String internalName) {
        return take(byClass.get(internalName));
    }

    /** The pending preset put in force by this descriptor, no longer pending; {@code null} when there is none. */
    synchronized Preset takeByDescriptor(String descriptor) {
        return take(byDescriptor.get(descriptor));
    }

    private Preset take(Preset preset) {
        if (preset == null) {
            return null;
        }
        byClass = without(byClass, preset);
        byDescriptor = without(byDescriptor, preset);
        return preset;
    }

    private static Map<String, Preset> without(Map<String, Preset> pending, Preset preset) {
        Map<String, Preset> rest = new HashMap<>(pending);
        for (Iterator<Preset> it = rest.values().iterator(); it.hasNext(); ) {
            if (it.next() == preset) {
                it.remove();
            }
        }
        return rest;
    }
}
