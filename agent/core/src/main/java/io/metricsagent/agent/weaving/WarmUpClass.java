package io.metricsagent.agent.weaving;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The class the weaver's warm-up weaves: one method with each annotation the agent reads, a
 * path on a JDK type, a return-value label, nesting and an in-flight count, and a static gauge, so that weaving it loads what
 * weaving an application's class will need. Written here with ASM; never defined.
 */
final class WarmUpClass {

    static final String NAME = "io/metricsagent/agent/weaving/WarmUpSample";
    private static final String API = "Lio/metricsagent/api/";

    private WarmUpClass() {}

    static byte[] bytes() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object", null);

        MethodVisitor pay = writer.visitMethod(Opcodes.ACC_PUBLIC, "pay",
                "(DLjava/lang/String;Ljava/lang/String;)Ljava/lang/String;", null, null);
        pay.visitAnnotation(API + "MeteredPayment;", true).visit("gateway", "warm_up");
        pay.visitParameterAnnotation(0, API + "MeteredPayment$Amount;", true).visitEnd();
        pay.visitParameterAnnotation(1, API + "MeteredPayment$UserTier;", true).visitEnd();
        pay.visitParameterAnnotation(2, API + "MeteredPayment$Method;", true).visitEnd();
        returnArgument(pay, 4);

        MethodVisitor check = writer.visitMethod(Opcodes.ACC_PUBLIC, "check", "(Ljava/lang/Thread;)Ljava/lang/Thread;",
                null, null);
        AnnotationVisitor metered = check.visitAnnotation(API + "Metered;", true);
        metered.visit("name", "warm_up");
        metered.visit("returnLabel", "name=name");
        metered.visitEnum("nesting", API + "Metered$Nesting;", "OUTERMOST");
        metered.visit("inFlight", true);
        metered.visitEnd();
        AnnotationVisitor label = check.visitParameterAnnotation(0, API + "Metered$Label;", true);
        label.visit("value", "thread");
        label.visit("path", "name");
        label.visitEnd();
        returnArgument(check, 1);

        MethodVisitor gauge = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "gauge", "()I", null, null);
        AnnotationVisitor gaugeAnnotation = gauge.visitAnnotation(API + "MeteredGauge;", true);
        gaugeAnnotation.visit("name", "warm_up_gauge");
        gaugeAnnotation.visitArray("labels").visitEnd();
        gaugeAnnotation.visitEnd();
        gauge.visitCode();
        gauge.visitInsn(Opcodes.ICONST_1);
        gauge.visitInsn(Opcodes.IRETURN);
        gauge.visitMaxs(0, 0);
        gauge.visitEnd();

        writer.visitEnd();
        return writer.toByteArray();
    }

    private static void returnArgument(MethodVisitor method, int local) {
        method.visitCode();
        method.visitVarInsn(Opcodes.ALOAD, local);
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
    }
}
