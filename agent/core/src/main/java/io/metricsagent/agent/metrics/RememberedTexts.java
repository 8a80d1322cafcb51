package io.metricsagent.agent.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * What {@code remember:} rules keep for {@code recall(OBJECT, NAME)}: per thread and per name, the
 * {@value #DEPTH} latest pairs of an object's identity hash and a text. The object itself is never
 * held (a weak reference per call would allocate, a field added to its class is impossible after
 * an attach), and the texts are the remembering rule's vocabulary, the agent's own constants. A
 * thread's rings are two arrays made on its first use, grown only when a name is woven after it;
 * keeping and recalling allocate nothing and take no lock.
 *
 * <p>The limits this buys: an object is recalled on the thread that remembered it, among that
 * name's {@value #DEPTH} latest; two live objects of equal identity hash (some 2<sup>-25</sup> a
 * pair) may take each other's text.
 */
final class RememberedTexts {

    static final int DEPTH = 16;
    private static final int MASK = DEPTH - 1;

    /** Each name's number, given when the first rule or label naming it is woven. */
    private static final Map<String, Integer> NAMES = new HashMap<>();
    private static volatile int named;
    private static final ThreadLocal<Rings> RINGS = new ThreadLocal<>();

    private RememberedTexts() {}

    /** The number of the name, the same for every rule and label that gives it. */
    static synchronized int number(String name) {
        Integer number = NAMES.get(name);
        if (number == null) {
            number = NAMES.size();
            NAMES.put(name, number);
            named = NAMES.size();
        }
        return number;
    }

    static void remember(int name, Object object, String text) {
        Rings rings = rings(name);
        int base = name * DEPTH;
        int slot = base + (rings.next[name]++ & MASK);
        rings.hashes[slot] = System.identityHashCode(object);
        rings.texts[slot] = text;
    }

    /** The latest text kept for the object on this thread, or {@code null}. */
    static String recall(int name, Object object) {
        Rings rings = RINGS.get();
        if (rings == null || name >= rings.next.length) {
            return null;
        }
        int hash = System.identityHashCode(object);
        int base = name * DEPTH;
        int newest = rings.next[name] - 1;
        for (int i = 0; i < DEPTH; i++) {
            int slot = base + ((newest - i) & MASK);
            if (rings.hashes[slot] == hash && rings.texts[slot] != null) {
                return rings.texts[slot];
            }
        }
        return null;
    }

    private static Rings rings(int name) {
        Rings rings = RINGS.get();
        if (rings == null || name >= rings.next.length) {
            rings = new Rings(Math.max(named, name + 1), rings);
            RINGS.set(rings);
        }
        return rings;
    }

    /** One thread's rings, name after name, {@value #DEPTH} slots each. */
    private static final class Rings {
        final int[] hashes;
        final String[] texts;
        /** By name: where its next text goes, counted up; its ring's slot is this modulo {@value #DEPTH}. */
        final int[] next;

        Rings(int names, Rings before) {
            hashes = new int[names * DEPTH];
            texts = new String[names * DEPTH];
            next = new int[names];
            if (before != null) {
                System.arraycopy(before.hashes, 0, hashes, 0, before.hashes.length);
                System.arraycopy(before.texts, 0, texts, 0, before.texts.length);
                System.arraycopy(before.next, 0, next, 0, before.next.length);
            }
        }
    }
}
