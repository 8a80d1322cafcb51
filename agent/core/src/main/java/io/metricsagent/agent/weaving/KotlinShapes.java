package io.metricsagent.agent.weaving;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What the Kotlin compiler generates around an annotated function, told apart from the class file
 * alone so that each logical call is counted once:
 *
 * <ul>
 *   <li>Forwarders that carry the function's annotation and only call the function that does the
 *       work: the static wrapper of a companion's {@code @JvmStatic} function, the overloads of a
 *       {@code @JvmOverloads} function (they call {@code f$default}), an open suspend function
 *       whose body is in {@code f$suspendImpl}, an interface's {@code DefaultImpls.f}. They are
 *       not woven; the function they reach is.</li>
 *   <li>A suspend function with a state machine of its own: entered once per call and once more
 *       per resumption, which the woven code must not count as calls.</li>
 * </ul>
 */
final class KotlinShapes {

    private static final String SUSPEND_DESCRIPTOR_END = "Lkotlin/coroutines/Continuation;)Ljava/lang/Object;";
    private static final String CONTINUATION_IMPL = "kotlin/coroutines/jvm/internal/ContinuationImpl";
    private static final String RESTRICTED_CONTINUATION_IMPL = "kotlin/coroutines/jvm/internal/RestrictedContinuationImpl";

    private KotlinShapes() {}

    /** Whether the method only forwards to the Kotlin function that does the work. */
    static boolean isForwarder(ClassScan scan, ClassScan.ScannedMethod method) {
        if (!scan.kotlin) {
            return false;
        }
        String self = scan.internalName + ".";
        for (String call : method.calls) {
            if (call.startsWith(self + method.name + "$default ") || call.startsWith(self + method.name + "$suspendImpl ")
                    || call.contains(".access$" + method.name + "$jd ")) {
                return true;
            }
            // The @JvmStatic wrapper calls the companion object's function of the same signature.
            if (method.jvmStatic && method.is(Opcodes.ACC_STATIC) && call.startsWith(scan.internalName + "$")
                    && call.endsWith("." + method.name + " " + method.descriptor)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a suspend function with a state machine: the internal name of its continuation class.
     * The empty string for any other method (woven as it is).
     *
     * @throws IllegalArgumentException for a suspend function whose state machine is not one the
     *                                  agent knows: it is left unmetered, rather than counting
     *                                  every resumption as a call
     */
    static String continuation(ClassLoader loader, ClassScan scan, ClassScan.ScannedMethod method) {
        if (!scan.kotlin || !method.descriptor.endsWith(SUSPEND_DESCRIPTOR_END) || method.continuationClass == null) {
            return "";
        }
        String continuation = method.continuationClass;
        if (!isStateMachine(loader, continuation)) {
            throw new IllegalArgumentException("its continuation " + continuation.replace('/', '.')
                    + " is not a state machine this agent knows");
        }
        return continuation;
    }

    private static boolean isStateMachine(ClassLoader loader, String internalName) {
        StateMachine shape = new StateMachine();
        return ClassFiles.readDeclarations(loader, internalName, shape) && shape.continuationImpl && shape.label;
    }

    /** A continuation class as Kotlin generates it: a ContinuationImpl with an int {@code label}. */
    private static final class StateMachine extends ClassVisitor {
        boolean continuationImpl;
        boolean label;

        StateMachine() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            continuationImpl = CONTINUATION_IMPL.equals(superName) || RESTRICTED_CONTINUATION_IMPL.equals(superName);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            label |= name.equals("label") && descriptor.equals("I") && (access & Opcodes.ACC_STATIC) == 0;
            return null;
        }
    }
}
