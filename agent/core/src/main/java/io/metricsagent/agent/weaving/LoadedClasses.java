package io.metricsagent.agent.weaving;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Weaves classes that were already loaded when the transformer was registered (the agent was
 * attached to a running JVM) by retransforming them: the JVM then hands the transformer each
 * class's original bytes, as if it were loading (rebuilt from the loaded class, with what the
 * rebuilt file lacks restored: see {@link RetransformedClassFile}), and swaps the woven methods in
 * for calls that start from then on; a call already running finishes in the code it started in.
 *
 * <p>Which classes is a {@link Selector}'s to say, from the class file read through the class's
 * own loader: nothing is loaded, initialized or reflected on to decide.
 */
public final class LoadedClasses {

    /** Chooses, from its name and class file, a loaded class to retransform. */
    public interface Selector {
        boolean selects(ClassLoader loader, String internalName, byte[] classFile);
    }

    private LoadedClasses() {}

    /**
     * Classes whose file mentions one of the annotations, or that a configuration rule may
     * meter or a configured gauge names, and that the transformer has not seen load: those
     * loading while this runs are woven as they load, and only once.
     */
    public static Selector toWeave(Weaving weaving) {
        return new Selector() {
            @Override
            public boolean selects(ClassLoader loader, String internalName, byte[] classFile) {
                return (weaving.rules.mayConcern(loader, internalName, classFile) || weaving.gauges.mayRead(internalName))
                        && !weaving.woven.sawLoading(loader, internalName);
            }
        };
    }

    /**
     * Retransforms the loaded classes {@code selector} chooses, one class per call, so that a
     * class the JVM refuses (counted in {@code metrics_agent_transformation_errors_total}, one
     * line) is that class's alone and no class is woven a second time by a retry of its batch.
     * Classes of the bootstrap loader and the agent's own are never candidates.
     *
     * @return how many classes were retransformed
     */
    public static int retransform(Weaving weaving, Instrumentation inst, Selector selector) {
        // The presets of the libraries loaded go in force first, so that every class is chosen with their rules.
        for (Class<?> type : inst.getAllLoadedClasses()) {
            weaving.putInForcePresetOf(type.getName().replace('.', '/'));
        }
        List<Class<?>> selected;
        int presets;
        do {
            presets = weaving.presetsPutInForce();
            selected = select(inst, selector);
            // A class met on the way put a preset in force by its methods: the classes before it are chosen again.
        } while (weaving.presetsPutInForce() != presets);
        return retransform(weaving, inst, selected);
    }

    /**
     * Weaves again the loaded classes {@code selector} chooses, because the rules changed: each
     * first gives up what it declared (so that a family whose definition changed is free to take
     * its new shape, whichever class declares it first), then is retransformed.
     *
     * @return how many classes were retransformed
     */
    static int reweave(Weaving weaving, Instrumentation inst, Selector selector) {
        List<Class<?>> classes = select(inst, selector);
        for (Class<?> type : classes) {
            weaving.woven.release(type.getClassLoader(), type.getName());
        }
        return retransform(weaving, inst, classes);
    }

    private static List<Class<?>> select(Instrumentation inst, Selector selector) {
        List<Class<?>> selected = new ArrayList<>();
        for (Class<?> type : inst.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            if (loader == null || !inst.isModifiableClass(type)) {
                continue;
            }
            String internalName = type.getName().replace('.', '/');
            if (MeteredClassTransformer.isOwn(internalName)) {
                continue;
            }
            byte[] classFile = classFile(loader, internalName);
            if (classFile != null && selector.selects(loader, internalName, classFile)) {
                selected.add(type);
            }
        }
        return selected;
    }

    private static int retransform(Weaving weaving, Instrumentation inst, List<Class<?>> classes) {
        int retransformed = 0;
        for (Class<?> type : classes) {
            try {
                inst.retransformClasses(type);
                retransformed++;
            } catch (Throwable t) {
                weaving.failed(type.getName(), t);
            }
        }
        return retransformed;
    }

    /** The class file as its loader serves it, or {@code null} when it serves none (a generated class). */
    private static byte[] classFile(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }
}
