package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/** Kotlin's shapes in class files written here with ASM, as kotlinc writes them, and near misses. */
class KotlinShapesTest {

    private static final String SHOP = "shop/Shop";
    private static final String SUSPEND = "(Lkotlin/coroutines/Continuation;)Ljava/lang/Object;";

    /** Serves the class files it is given, and nothing else. */
    private static final class FilesLoader extends ClassLoader {
        private final Map<String, byte[]> files = new HashMap<>();

        FilesLoader() {
            super(null);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] file = files.get(name);
            return file == null ? null : new ByteArrayInputStream(file);
        }
    }

    /** Shop's one method {@code name descriptor} whose code calls {@code owner.callee calleeDescriptor}. */
    private static ClassScan forwarding(boolean kotlin, int access, boolean jvmStatic, String name, String descriptor,
                                        String owner, String callee, String calleeDescriptor) {
        ClassWriter writer = shop(kotlin);
        MethodVisitor method = writer.visitMethod(access, name, descriptor, null, null);
        if (jvmStatic) {
            method.visitAnnotation("Lkotlin/jvm/JvmStatic;", false).visitEnd();
        }
        method.visitCode();
        method.visitMethodInsn(Opcodes.INVOKESTATIC, owner, callee, calleeDescriptor, false);
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 8);
        method.visitEnd();
        return ClassScan.of(new ClassReader(writer.toByteArray()));
    }

    private static ClassWriter shop(boolean kotlin) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, SHOP, null, "java/lang/Object", null);
        if (kotlin) {
            writer.visitAnnotation("Lkotlin/Metadata;", true).visitEnd();
        }
        return writer;
    }

    private static boolean isForwarder(ClassScan scan) {
        return KotlinShapes.isForwarder(scan, scan.methods.get(0));
    }

    @Test
    void forwardersToDefaultsSuspendImplsAndDefaultImplsAreKnown() {
        assertTrue(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, false, "pay", "(I)V",
                SHOP, "pay$default", "(Lshop/Shop;IILjava/lang/Object;)V")));
        assertTrue(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, false, "load", SUSPEND,
                SHOP, "load$suspendImpl", "(Lshop/Shop;Lkotlin/coroutines/Continuation;)Ljava/lang/Object;")));
        assertTrue(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, false, "pay", "(I)V",
                "shop/Checkout", "access$pay$jd", "(Lshop/Checkout;I)V")));
        // The same calls in a class that is not Kotlin's, or to another class's function, forward nothing.
        assertFalse(isForwarder(forwarding(false, Opcodes.ACC_PUBLIC, false, "pay", "(I)V",
                SHOP, "pay$default", "(Lshop/Shop;IILjava/lang/Object;)V")));
        assertFalse(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, false, "pay", "(I)V",
                "shop/Other", "pay$default", "(Lshop/Other;IILjava/lang/Object;)V")));
        assertFalse(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, false, "pay", "(I)V",
                SHOP, "payAll$default", "(Lshop/Shop;IILjava/lang/Object;)V")));
        assertFalse(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, false, "pay", "(I)V",
                SHOP, "pay", "(J)V")));
    }

    @Test
    void aJvmStaticWrapperForwardsToItsCompanionsFunction() {
        String find = "(Ljava/lang/String;)I";
        int publicStatic = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;
        assertTrue(isForwarder(forwarding(true, publicStatic, true, "find", find, SHOP + "$Companion", "find", find)));
        assertFalse(isForwarder(forwarding(true, publicStatic, false, "find", find, SHOP + "$Companion", "find", find)));
        assertFalse(isForwarder(forwarding(true, Opcodes.ACC_PUBLIC, true, "find", find, SHOP + "$Companion", "find", find)));
        assertFalse(isForwarder(forwarding(true, publicStatic, true, "find", find, SHOP + "$Companion", "find", "(Ljava/lang/Object;)I")));
        assertFalse(isForwarder(forwarding(true, publicStatic, true, "find", find, "shop/Other$Companion", "find", find)));
        assertFalse(isForwarder(forwarding(false, publicStatic, true, "find", find, SHOP + "$Companion", "find", find)));
    }

    /**
     * Shop's suspend function {@code load}, whose code starts by loading local {@code local} and
     * testing it with {@code opcode} against {@code shop/Shop$load$1}.
     */
    private static ClassScan suspending(boolean kotlin, int access, String descriptor, int local, int opcode) {
        ClassWriter writer = shop(kotlin);
        MethodVisitor method = writer.visitMethod(access, "load", descriptor, null, null);
        method.visitCode();
        method.visitVarInsn(Opcodes.ALOAD, local);
        method.visitTypeInsn(opcode, SHOP + "$load$1");
        method.visitInsn(Opcodes.POP);
        method.visitInsn(Opcodes.ACONST_NULL);
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(1, 8);
        method.visitEnd();
        return ClassScan.of(new ClassReader(writer.toByteArray()));
    }

    private static byte[] continuationClass(String superName, int labelAccess, String labelDescriptor) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, SHOP + "$load$1", null, superName, null);
        writer.visitField(Opcodes.ACC_SYNTHETIC | Opcodes.ACC_VOLATILE, "result", "Ljava/lang/Object;", null, null).visitEnd();
        writer.visitField(labelAccess, "label", labelDescriptor, null, null).visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static FilesLoader serving(byte[] continuation) {
        FilesLoader loader = new FilesLoader();
        loader.files.put(SHOP + "$load$1.class", continuation);
        return loader;
    }

    private static String continuation(ClassLoader loader, ClassScan scan) {
        return KotlinShapes.continuation(loader, scan, scan.methods.get(0));
    }

    @Test
    void aSuspendFunctionsStateMachineIsItsContinuationClass() {
        FilesLoader loader = serving(continuationClass("kotlin/coroutines/jvm/internal/ContinuationImpl", 0, "I"));
        assertEquals(SHOP + "$load$1", continuation(loader, suspending(true, Opcodes.ACC_PUBLIC, SUSPEND, 1, Opcodes.INSTANCEOF)));
        // A static function's continuation is after its other parameters: a long takes two slots.
        String withLong = "(JLkotlin/coroutines/Continuation;)Ljava/lang/Object;";
        assertEquals(SHOP + "$load$1", continuation(loader,
                suspending(true, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, withLong, 2, Opcodes.INSTANCEOF)));
        assertEquals(SHOP + "$load$1", continuation(
                serving(continuationClass("kotlin/coroutines/jvm/internal/RestrictedContinuationImpl", Opcodes.ACC_PRIVATE, "I")),
                suspending(true, Opcodes.ACC_PUBLIC, SUSPEND, 1, Opcodes.INSTANCEOF)));
    }

    @Test
    void otherMethodsHaveNoContinuation() {
        FilesLoader loader = serving(continuationClass("kotlin/coroutines/jvm/internal/ContinuationImpl", 0, "I"));
        assertEquals("", continuation(loader, suspending(false, Opcodes.ACC_PUBLIC, SUSPEND, 1, Opcodes.INSTANCEOF)));
        assertEquals("", continuation(loader, suspending(true, Opcodes.ACC_PUBLIC, "(Ljava/lang/Object;)Ljava/lang/Object;", 1,
                Opcodes.INSTANCEOF)));
        assertEquals("", continuation(loader, suspending(true, Opcodes.ACC_PUBLIC, SUSPEND, 0, Opcodes.INSTANCEOF)));
        assertEquals("", continuation(loader, suspending(true, Opcodes.ACC_PUBLIC, SUSPEND, 1, Opcodes.CHECKCAST)));
        assertEquals("", continuation(loader, suspending(true, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
                "(JLkotlin/coroutines/Continuation;)Ljava/lang/Object;", 1, Opcodes.INSTANCEOF)));
        assertEquals("", continuation(loader, forwarding(true, Opcodes.ACC_PUBLIC, false, "load", SUSPEND,
                SHOP, "load$suspendImpl", "(Lshop/Shop;Lkotlin/coroutines/Continuation;)Ljava/lang/Object;")));
    }

    @Test
    void aStateMachineTheAgentDoesNotKnowIsRefused() {
        ClassScan scan = suspending(true, Opcodes.ACC_PUBLIC, SUSPEND, 1, Opcodes.INSTANCEOF);
        String refused = "its continuation shop.Shop$load$1 is not a state machine this agent knows";
        for (byte[] unknown : new byte[][] {
                continuationClass("kotlin/coroutines/jvm/internal/BaseContinuationImpl", 0, "I"),
                continuationClass("kotlin/coroutines/jvm/internal/ContinuationImpl", Opcodes.ACC_STATIC, "I"),
                continuationClass("kotlin/coroutines/jvm/internal/ContinuationImpl", 0, "J"),
                "not a class file".getBytes()}) {
            assertEquals(refused, assertThrows(IllegalArgumentException.class, () -> continuation(serving(unknown), scan))
                    .getMessage());
        }
        assertEquals(refused, assertThrows(IllegalArgumentException.class, () -> continuation(new FilesLoader(), scan))
                .getMessage());
    }
}
