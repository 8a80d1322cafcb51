package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.description.AnnotatedMethod;
import io.metricsagent.api.Metered;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class ClassScanTest {

    private static final String METERED = "io.metricsagent.api.Metered";
    private static final String LABEL = "io.metricsagent.api.Metered$Label";

    @Deprecated
    static class Till {
        @Metered(name = "sales", labels = {"store", "tier"}, buckets = {0.5, 2}, nesting = Metered.Nesting.OUTERMOST,
                outcome = false, inFlight = true)
        public String sell(@Metered.Label("store") String store, long cents,
                           @Metered.Label(value = "tier", path = "level") Object customer) {
            return store + cents + customer;
        }

        @Metered(name = "refunds", labels = {}, buckets = {})
        static synchronized void refund() {}

        @Deprecated
        private int count() {
            return 0;
        }
    }

    static class Box implements Supplier<String> {
        @Override
        public String get() {
            return "x";
        }
    }

    class Inner {
        Inner(@Metered.Label("x") String value) {}
    }

    private static ClassScan scan(Class<?> type) {
        return ClassScan.of(new ClassReader(WeavingSupport.classBytes(type.getName())));
    }

    private static ClassScan scan(byte[] classFile) {
        return ClassScan.of(new ClassReader(classFile));
    }

    private static ClassScan.ScannedMethod method(ClassScan scan, String name, String descriptor) {
        for (ClassScan.ScannedMethod method : scan.methods) {
            if (method.name.equals(name) && method.descriptor.equals(descriptor)) {
                return method;
            }
        }
        throw new AssertionError(name + descriptor + " not scanned");
    }

    @Test
    void annotationValuesAreThoseTheClassFileHoldsWithoutDefaults() {
        ClassScan scan = scan(Till.class);
        AnnotatedMethod sell = method(scan, "sell", "(Ljava/lang/String;JLjava/lang/Object;)Ljava/lang/String;").annotated;
        Map<String, Object> metered = sell.annotation(METERED);
        assertEquals(List.of("buckets", "inFlight", "labels", "name", "nesting", "outcome"), new ArrayList<>(new TreeSet<>(metered.keySet())));
        assertEquals("sales", metered.get("name"));
        assertEquals(List.of("store", "tier"), metered.get("labels"));
        assertArrayEquals(new double[] {0.5, 2}, (double[]) metered.get("buckets"));
        assertEquals("OUTERMOST", metered.get("nesting"));
        assertEquals(Boolean.FALSE, metered.get("outcome"));
        assertEquals(Boolean.TRUE, metered.get("inFlight"));
        assertEquals(Map.of("value", "store"), sell.parameterAnnotation(0, LABEL));
        assertNull(sell.parameterAnnotation(1, LABEL));
        assertEquals(Map.of("value", "tier", "path", "level"), sell.parameterAnnotation(2, LABEL));
        assertNull(sell.parameterAnnotation(3, LABEL));
        // Empty arrays, of strings or of numbers, are empty lists.
        Map<String, Object> refund = method(scan, "refund", "()V").annotated.annotation(METERED);
        assertEquals(Map.of("name", "refunds", "labels", List.of(), "buckets", List.of()), refund);
    }

    @Test
    void theMethodDescribesItselfAndCarriesItsClassesAnnotations() {
        ClassScan scan = scan(Till.class);
        assertEquals(Till.class.getName().replace('.', '/'), scan.internalName);
        assertFalse(scan.kotlin);
        assertEquals(List.of("<init>", "sell", "refund", "count"),
                scan.methods.stream().map(m -> m.name).collect(Collectors.toList()));
        AnnotatedMethod sell = method(scan, "sell", "(Ljava/lang/String;JLjava/lang/Object;)Ljava/lang/String;").annotated;
        assertEquals(Till.class.getName(), sell.className());
        assertEquals(List.of("java.lang.String", "long", "java.lang.Object"), sell.parameterTypes());
        assertEquals("java.lang.String", sell.returnType());
        assertTrue(sell.carries(METERED));
        assertTrue(sell.carries("java.lang.Deprecated"));
        // Only the agent's annotations have their values read.
        ClassScan.ScannedMethod count = method(scan, "count", "()I");
        assertTrue(count.annotated.carries("java.lang.Deprecated"));
        assertFalse(count.annotated.carries(METERED));
        assertNull(count.annotated.annotation("java.lang.Deprecated"));
        assertTrue(count.is(Opcodes.ACC_PRIVATE));
        assertFalse(count.is(Opcodes.ACC_STATIC));
        ClassScan.ScannedMethod refund = method(scan, "refund", "()V");
        assertTrue(refund.is(Opcodes.ACC_STATIC) && refund.is(Opcodes.ACC_SYNCHRONIZED));
        assertEquals(0, refund.maxLocals);
        // this, store, cents (two slots), customer.
        assertEquals(5, method(scan, "sell", "(Ljava/lang/String;JLjava/lang/Object;)Ljava/lang/String;").maxLocals);
    }

    @Test
    void aBridgeIsFlaggedAndCallsTheMethodItBridges() {
        ClassScan scan = scan(Box.class);
        ClassScan.ScannedMethod bridge = method(scan, "get", "()Ljava/lang/Object;");
        assertTrue(bridge.is(Opcodes.ACC_BRIDGE) && bridge.is(Opcodes.ACC_SYNTHETIC));
        assertEquals(List.of(scan.internalName + ".get ()Ljava/lang/String;"), bridge.calls);
        ClassScan.ScannedMethod get = method(scan, "get", "()Ljava/lang/String;");
        assertFalse(get.is(Opcodes.ACC_BRIDGE));
        assertEquals(List.of(), get.calls);
    }

    @Test
    void anInnerClassesParameterAnnotationsSkipItsOuterInstance() {
        ClassScan scan = scan(Inner.class);
        AnnotatedMethod constructor = method(scan, "<init>", "(L" + ClassScanTest.class.getName().replace('.', '/')
                + ";Ljava/lang/String;)V").annotated;
        assertNull(constructor.parameterAnnotation(0, LABEL));
        assertEquals(Map.of("value", "x"), constructor.parameterAnnotation(1, LABEL));
    }

    /**
     * {@code static void pay(long, String, double)} and {@code void move(int, String)}, with the
     * names a compiler may keep: {@code -parameters} for some, debug information for others.
     */
    private static byte[] namedParameters(boolean kotlin) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "shop/Ledger", null, "java/lang/Object", null);
        if (kotlin) {
            writer.visitAnnotation("Lkotlin/Metadata;", true).visitEnd();
        }
        Label start = new Label();
        Label end = new Label();
        MethodVisitor pay = writer.visitMethod(Opcodes.ACC_STATIC, "pay", "(JLjava/lang/String;D)V", null, null);
        pay.visitAnnotation("Lkotlin/jvm/JvmStatic;", false).visitEnd();
        pay.visitCode();
        pay.visitLabel(start);
        pay.visitInsn(Opcodes.RETURN);
        pay.visitLabel(end);
        pay.visitLocalVariable("tmp", "I", null, start, end, 5);
        pay.visitLocalVariable("rate", "D", null, start, end, 3);
        pay.visitLocalVariable("currency", "Ljava/lang/String;", null, start, end, 2);
        pay.visitLocalVariable("cents", "J", null, start, end, 0);
        pay.visitMaxs(0, 6);
        pay.visitEnd();
        MethodVisitor move = writer.visitMethod(Opcodes.ACC_PUBLIC, "move", "(ILjava/lang/String;)V", null, null);
        move.visitParameter("from", 0);
        move.visitParameter(null, 0);
        move.visitCode();
        move.visitLabel(start);
        move.visitInsn(Opcodes.RETURN);
        move.visitLabel(end);
        move.visitLocalVariable("this", "Lshop/Ledger;", null, start, end, 0);
        move.visitLocalVariable("ignored", "I", null, start, end, 1);
        move.visitLocalVariable("to", "Ljava/lang/String;", null, start, end, 2);
        move.visitMaxs(0, 3);
        move.visitEnd();
        MethodVisitor bare = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "bare", "(I[Ljava/lang/String;)V", null, null);
        bare.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void parameterNamesComeFromMethodParametersThenTheLocalVariableTable() {
        ClassScan scan = scan(namedParameters(false));
        assertEquals(55, scan.version);
        assertEquals("shop/Ledger", scan.internalName);
        assertFalse(scan.kotlin);
        ClassScan.ScannedMethod pay = method(scan, "pay", "(JLjava/lang/String;D)V");
        assertEquals(List.of("cents", "currency", "rate"), pay.annotated.parameterNames());
        assertEquals(List.of("long", "java.lang.String", "double"), pay.annotated.parameterTypes());
        assertEquals(6, pay.maxLocals);
        assertEquals(Arrays.asList("from", "to"), method(scan, "move", "(ILjava/lang/String;)V").annotated.parameterNames());
        ClassScan.ScannedMethod bare = method(scan, "bare", "(I[Ljava/lang/String;)V");
        assertEquals(Arrays.asList(null, null), bare.annotated.parameterNames());
        assertEquals(List.of("int", "java.lang.String[]"), bare.annotated.parameterTypes());
        assertEquals("void", bare.annotated.returnType());
    }

    @Test
    void kotlinsMetadataAndJvmStaticAreNoted() {
        ClassScan scan = scan(namedParameters(true));
        assertTrue(scan.kotlin);
        ClassScan.ScannedMethod pay = method(scan, "pay", "(JLjava/lang/String;D)V");
        assertTrue(pay.jvmStatic);
        assertTrue(pay.annotated.carries("kotlin.jvm.JvmStatic"));
        assertTrue(pay.annotated.carries("kotlin.Metadata"));
        assertFalse(method(scan, "move", "(ILjava/lang/String;)V").jvmStatic);
    }
}
