package io.metricsagent.agent.weaving;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Whether a class extends or implements a type, however indirectly, decided from class files: a
 * class is handed to the transformer before its superclass and interfaces are loaded, so they are
 * read through its loader, each once per loader, by name only. Nothing is loaded or held but names.
 */
final class Supertypes {

    /**
     * Per loader (held weakly), each type read so far to its superclass and interfaces. Static, as
     * the one piece of weaving state that is not the agent's: a cache of what class files say,
     * the same for whoever asks, which counts nothing and decides nothing of its own.
     */
    private static final Map<ClassLoader, Map<String, String[]>> DIRECT = new WeakHashMap<>();
    private static final String[] NONE = new String[0];

    private Supertypes() {}

    /**
     * @param classFile the class's own file, whose direct supertypes are read from it
     * @param target    the supertype's internal name, e.g. {@code com/shop/Gateway}
     */
    static boolean reaches(ClassLoader loader, String internalName, byte[] classFile, String target) {
        return internalName.equals(target) || reaches(loader, direct(new ClassReader(classFile)), target);
    }

    /** As {@link #reaches(ClassLoader, String, byte[], String)}, the class's own file read through its loader. */
    static boolean reaches(ClassLoader loader, String internalName, String target) {
        return internalName.equals(target) || reaches(loader, direct(loader, internalName), target);
    }

    /**
     * Keeps the class's direct supertypes, read from its own file, as if they had been read
     * through its loader: for the check command, which reads every class file and would
     * otherwise read each one again for the walks of its subclasses.
     */
    static void remember(ClassLoader loader, String internalName, byte[] classFile) {
        remember(loader, internalName, direct(new ClassReader(classFile)));
    }

    /** Whether the loader serves the class's file (a generated class has none). */
    static boolean readable(ClassLoader loader, String internalName) {
        return direct(loader, internalName) != NONE;
    }

    private static boolean reaches(ClassLoader loader, String[] supertypes, String target) {
        // The JDK's types never extend the application's: the walk stops at them unless the
        // target is one of theirs.
        boolean targetInJdk = isJdk(target);
        Deque<String> next = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        add(next, seen, supertypes, targetInJdk);
        while (!next.isEmpty()) {
            String type = next.pop();
            if (type.equals(target)) {
                return true;
            }
            add(next, seen, direct(loader, type), targetInJdk);
        }
        return false;
    }

    private static void add(Deque<String> next, Set<String> seen, String[] types, boolean targetInJdk) {
        for (String type : types) {
            if (type != null && !type.equals("java/lang/Object") && (targetInJdk || !isJdk(type)) && seen.add(type)) {
                next.push(type);
            }
        }
    }

    /**
     * Lets go of the entries of collected loaders now: a {@code WeakHashMap} drops them only when
     * it is next used, which may be long after a redeployment.
     */
    static void forgetCollected() {
        synchronized (DIRECT) {
            DIRECT.size();
        }
    }

    private static String[] direct(ClassLoader loader, String type) {
        synchronized (DIRECT) {
            Map<String, String[]> known = DIRECT.get(loader);
            String[] supertypes = known == null ? null : known.get(type);
            if (supertypes != null) {
                return supertypes;
            }
        }
        ClassReader reader = ClassFiles.reader(loader, type);
        String[] supertypes = reader == null ? NONE : direct(reader);
        remember(loader, type, supertypes);
        return supertypes;
    }

    private static void remember(ClassLoader loader, String type, String[] supertypes) {
        synchronized (DIRECT) {
            // No lambda: this runs on the application's thread as its classes load.
            Map<String, String[]> known = DIRECT.get(loader);
            if (known == null) {
                known = new HashMap<>();
                DIRECT.put(loader, known);
            }
            known.put(type, supertypes);
        }
    }

    private static String[] direct(ClassReader reader) {
        String[] interfaces = reader.getInterfaces();
        String[] supertypes = new String[interfaces.length + 1];
        supertypes[0] = reader.getSuperName();
        System.arraycopy(interfaces, 0, supertypes, 1, interfaces.length);
        return supertypes;
    }

    private static boolean isJdk(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }
}
