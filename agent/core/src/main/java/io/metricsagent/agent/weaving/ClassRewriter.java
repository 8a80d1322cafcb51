package io.metricsagent.agent.weaving;

import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The weaver's second pass: metered methods get their calls, constructors of gauge owners their
 * tracking (and, in a class loaded before, its instance methods too); everything else is copied
 * as it is. All it writes was decided by {@link MeteredMethods}.
 */
final class ClassRewriter extends ClassVisitor {

    private static final int FIRST_FRAMES_VERSION = Opcodes.V1_6;
    /** Methods with no instance or no code, and bridges (the method they call learns). */
    private static final int NOT_LEARNING = Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE;

    private final Map<String, WovenMethod> woven;
    private final int gaugeClassId;
    private final boolean learnFromCalls;
    private final boolean frames;
    private String owner;

    private ClassRewriter(ClassWriter writer, Map<String, WovenMethod> woven, int gaugeClassId, boolean learnFromCalls,
                          boolean frames) {
        super(Opcodes.ASM9, writer);
        this.woven = woven;
        this.gaugeClassId = gaugeClassId;
        this.learnFromCalls = learnFromCalls;
        this.frames = frames;
    }

    /**
     * @param woven          the metered methods by name and descriptor
     * @param gaugeClassId   the id whose constructors hand each instance to the gauges, or -1
     * @param loaded         whether the class is loaded already, so that its instance methods also
     *                       hand their instance to the gauges, which learn those made before
     */
    static byte[] rewrite(ClassReader reader, int classVersion, Map<String, WovenMethod> woven, int gaugeClassId,
                          boolean loaded) {
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassRewriter(writer, woven, gaugeClassId, loaded && gaugeClassId >= 0,
                classVersion >= FIRST_FRAMES_VERSION), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        owner = name;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (learnFromCalls && !name.equals("<init>") && (access & NOT_LEARNING) == 0) {
            next = new InstanceLearning(next, gaugeClassId);
        }
        WovenMethod method = woven.get(name + descriptor);
        if (method != null) {
            return new MethodInstrumenter(next, owner, access, descriptor, method.maxLocals, method.calls, frames,
                    method.continuation);
        }
        if (gaugeClassId >= 0 && name.equals("<init>")) {
            return new GaugeTracking(next, gaugeClassId);
        }
        return next;
    }

    /**
     * Hands the instance to the agent as an instance method starts, for the instances made
     * before the class was woven; see {@code GaugeBridge#seen}.
     */
    private static final class InstanceLearning extends MethodVisitor {
        private final int classId;

        InstanceLearning(MethodVisitor next, int classId) {
            super(Opcodes.ASM9, next);
            this.classId = classId;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitLdcInsn(classId);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "io/metricsagent/bootstrap/GaugeBridge", "seen",
                    "(ILjava/lang/Object;)V", false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 2), maxLocals);
        }
    }

    /** Hands each new instance to the agent at every return of a constructor. */
    private static final class GaugeTracking extends MethodVisitor {
        private final int classId;

        GaugeTracking(MethodVisitor next, int classId) {
            super(Opcodes.ASM9, next);
            this.classId = classId;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                super.visitLdcInsn(classId);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "io/metricsagent/bootstrap/GaugeBridge", "track",
                        "(ILjava/lang/Object;)V", false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 2), maxLocals);
        }
    }
}
