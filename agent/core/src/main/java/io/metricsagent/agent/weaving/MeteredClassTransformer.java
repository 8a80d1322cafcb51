package io.metricsagent.agent.weaving;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Sees every class as it loads and hands to the weaver only those whose constant pool names one of
 * our annotations, or that a rule or gauge of the configuration file may select. The test is one
 * walk over the constant pool ({@link MeteringRules#mayConcern}), so not even ASM is loaded until
 * the first such class appears, and a JVM without any pays almost nothing for the agent.
 */
public final class MeteredClassTransformer implements ClassFileTransformer {

    private static final String[] OWN_PACKAGES = {
        "io/metricsagent/agent/", "io/metricsagent/bootstrap/", "io/metricsagent/shaded/", "io/metricsagent/api/",
    };

    private final Weaving weaving;

    public MeteredClassTransformer(Weaving weaving) {
        this.weaving = weaving;
    }

    /**
     * Weaves a class of the JDK's own named modules only for a rule with {@code jdk_classes: true}:
     * a rule on an interface means the application's implementations, not the JDK's
     * ({@code jdk.httpserver}'s {@code ServerImpl$Exchange$LinkHandler} implements
     * {@code HttpHandler} and wraps every context, the agent's own endpoint's too, so that weaving
     * it would count the agent's scrapes and, as the outermost level, every request under the
     * JDK's class).
     */
    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        weaving.classLoading(loader, className);
        if (loader != null && className != null && module.isNamed() && JdkModules.contains(module)) {
            weaving.putInForcePresetOf(className);
            weaving.rules.leaveOutJdkClass(loader, className, classfileBuffer, module.getName());
            if (!weaving.rules.mayWeaveJdkClass(loader, className, classfileBuffer)) {
                return null;
            }
            return weave(loader, className, classBeingRedefined, classfileBuffer, null, true);
        }
        return transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

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
        weaving.putInForcePresetOf(className);
        if (!(weaving.gauges.mayRead(className) || weaving.rules.mayConcern(loader, className, classFile))) {
            if (classBeingRedefined != null) {
                // Retransformed after what wove it left the configuration: its gauges go too.
                weaving.metrics.gauges().forget(loader, className.replace('/', '.'));
            }
            return whole;
        }
        return weave(loader, className, classBeingRedefined, classFile, whole, false);
    }

    /** The class woven, or {@code whole} (the retransformed class's file restored, or {@code null}) when it is not. */
    private byte[] weave(ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] classFile,
                         byte[] whole, boolean jdkClass) {
        if (classBeingRedefined == null) {
            weaving.woven.seenLoading(loader, className);
        }
        String name = className.replace('/', '.');
        try {
            // A retransformation hands over the bytes the class was defined with, never what a
            // transformer made of them, so a class is never woven over its woven self.
            byte[] woven = ClassWeaver.weave(weaving, loader, name, classFile, classBeingRedefined != null, jdkClass);
            return woven == null ? whole : woven;
        } catch (Throwable t) {
            weaving.failed(name, t);
            return whole;
        }
    }

    /**
     * Weaves a class of its own making, off the application's threads, as soon as the agent
     * starts: the first annotated class an application loads, usually within milliseconds of
     * {@code main}, then finds the weaver's classes loaded, instead of loading them all on the
     * application's thread. It weaves into scratch metrics and state of its own: nothing of it is
     * registered, served or counted; a failure here only means that the first class pays for the
     * loading, so it is not reported.
     *
     * @return whether the warm-up's class was woven
     */
    public static boolean warmUp() {
        try {
            return ClassWeaver.warmUp();
        } catch (Throwable t) {
            // The first woven class of the application will report whatever this was.
            return false;
        }
    }

    static boolean isOwn(String className) {
        for (String prefix : OWN_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
