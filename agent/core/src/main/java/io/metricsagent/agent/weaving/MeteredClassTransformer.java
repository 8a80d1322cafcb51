package io.metricsagent.agent.weaving;

import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.instrument.AnnotationReader;
import io.metricsagent.agent.metrics.AgentMetrics;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sees every class as it loads and hands to the weaver only those whose constant pool names one of
 * our annotations, or that a rule or gauge of the configuration file may select by its name. The
 * scan is a plain byte search, so not even ASM is loaded until the first such class appears, and
 * a JVM without any pays almost nothing for the agent.
 */
public final class MeteredClassTransformer implements ClassFileTransformer {

    private static final byte[][] ANNOTATION_DESCRIPTORS = {
        descriptor(AnnotationReader.METERED_PAYMENT),
        descriptor(AnnotationReader.METERED),
        descriptor(AnnotationReader.METERED_GAUGE),
    };

    private static final String[] OWN_PACKAGES = {
        "io/metricsagent/agent/", "io/metricsagent/bootstrap/", "io/metricsagent/shaded/", "io/metricsagent/api/",
    };

    private static final AtomicLong FAILURES = new AtomicLong();

    /**
     * The annotated classes this transformer has seen load, by loader (held weakly) and name: a
     * class that loads while the classes loaded before an attach are being found is woven as it
     * loads, and must not be woven a second time by the retransformation.
     */
    private static final Map<ClassLoader, Set<String>> SEEN_LOADING = new WeakHashMap<>();

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || className == null || isOwn(className)) {
            return null;
        }
        // What the JVM rebuilt for a retransformation may lack attributes, which the class would
        // lose even if it is declined here; one loading has its file whole.
        byte[] whole = classBeingRedefined == null ? null
                : RetransformedClassFile.restore(loader, className, classfileBuffer);
        byte[] classFile = whole == null ? classfileBuffer : whole;
        if (!(mentionsAnnotation(classFile) || MeteringRules.mayMeter(loader, className, classFile)
                || ConfiguredGauges.mayRead(className))) {
            if (classBeingRedefined != null) {
                // Retransformed after what wove it left the configuration: its gauges go too.
                AgentMetrics.get().gauges().forget(loader, className.replace('/', '.'));
            }
            return whole;
        }
        if (classBeingRedefined == null) {
            seenLoading(loader, className);
        }
        try {
            // A retransformation hands over the bytes the class was defined with, never what a
            // transformer made of them, so a class is never woven over its woven self.
            byte[] woven = ClassWeaver.weave(loader, className.replace('/', '.'), classFile);
            return woven == null ? whole : woven;
        } catch (Throwable t) {
            failed(className.replace('/', '.'), t);
            return whole;
        }
    }

    /** Counts and reports a class left uninstrumented. */
    static void failed(String className, Throwable t) {
        FAILURES.incrementAndGet();
        AgentLog.warn(className + " is left uninstrumented", t);
    }

    private static void seenLoading(ClassLoader loader, String internalName) {
        synchronized (SEEN_LOADING) {
            // No lambda: this runs on the application's thread, before java.lang.invoke may be up.
            Set<String> names = SEEN_LOADING.get(loader);
            if (names == null) {
                names = new HashSet<>();
                SEEN_LOADING.put(loader, names);
            }
            names.add(internalName);
        }
    }

    /** Whether this transformer saw the class load (and so wove it, or tried to). */
    static boolean sawLoading(ClassLoader loader, String internalName) {
        synchronized (SEEN_LOADING) {
            Set<String> names = SEEN_LOADING.get(loader);
            return names != null && names.contains(internalName);
        }
    }

    /**
     * Weaves a class of its own making, off the application's threads, as soon as the agent
     * starts: the first annotated class an application loads, usually within milliseconds of
     * {@code main}, then finds the weaver's classes loaded, instead of loading them all on the
     * application's thread. Nothing of it is registered or served; a failure here only means
     * that the first class pays for the loading, so it is not reported.
     */
    public static void warmUp() {
        try {
            ClassWeaver.warmUp();
        } catch (Throwable t) {
            // The first woven class of the application will report whatever this was.
        }
    }

    /** How many methods have been woven. */
    public static int instrumentedMethods() {
        return WovenClasses.methods();
    }

    /** How many classes could not be woven. */
    public static long failures() {
        return FAILURES.get();
    }

    static boolean isOwn(String className) {
        for (String prefix : OWN_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static boolean mentionsAnnotation(byte[] classFile) {
        for (byte[] descriptor : ANNOTATION_DESCRIPTORS) {
            if (contains(classFile, descriptor)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bytes hold this run of bytes: a type's descriptor, say, in a class file's constant pool. */
    static boolean contains(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle) >= 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] descriptor(String annotationType) {
        return ("L" + annotationType.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
    }
}
