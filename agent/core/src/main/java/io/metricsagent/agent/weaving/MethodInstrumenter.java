package io.metricsagent.agent.weaving;

import io.metricsagent.bootstrap.MeterBridge;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves one metered method. On entry it reads the clock and copies the arguments the recorders
 * need (so they see the values the method was called with); every return stores its value and
 * jumps to one exit block after the body, and one handler after that catches whatever the body
 * throws. Both call the bridge, and then return the very value or rethrow the very exception.
 * The exit block and the handler lie outside every range of the method's own exception table,
 * so nothing of ours is ever caught by the application's handlers, nor ours by them. Frames are
 * kept exact by appending the woven locals to each frame of the body.
 */
final class MethodInstrumenter extends MethodVisitor {

    private static final String BRIDGE = "io/metricsagent/bootstrap/MeterBridge";
    private static final String RECORD_DESCRIPTOR = recordDescriptor();
    private static final Handle PATH_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, BRIDGE, "path",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/String;)"
                    + "Ljava/lang/invoke/CallSite;", false);
    /** More than the most the woven code pushes: id, start, thrown, number, the slots and a conversion. */
    private static final int WOVEN_STACK = 16;

    private final List<WovenCall> calls;
    private final boolean frames;
    private final Type[] arguments;
    private final int[] argumentLocals;
    private final Type returnType;
    private final int startLocal;
    private final int[] copyLocals;
    private final int returnLocal;
    private final int thrownLocal;
    /** The woven locals as frames list them, after {@link #startLocal} slots of the method's own. */
    private final List<Object> wovenFrameLocals = new ArrayList<>();
    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label exit = new Label();
    private final Label handler = new Label();

    /**
     * @param maxLocals the method's own locals; the woven ones come after them
     * @param frames    whether the class file has stack map frames (version 50 and later)
     */
    MethodInstrumenter(MethodVisitor next, int access, String descriptor, int maxLocals, List<WovenCall> calls,
                       boolean frames) {
        super(Opcodes.ASM9, next);
        this.calls = calls;
        this.frames = frames;
        arguments = Type.getArgumentTypes(descriptor);
        returnType = Type.getReturnType(descriptor);
        argumentLocals = new int[arguments.length];
        int local = (access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (int i = 0; i < arguments.length; i++) {
            argumentLocals[i] = local;
            local += arguments[i].getSize();
        }
        boolean[] copied = new boolean[arguments.length];
        for (WovenCall call : calls) {
            for (WovenCall.Read read : call.values) {
                markCopied(copied, read);
            }
            markCopied(copied, call.number);
        }
        startLocal = maxLocals;
        wovenFrameLocals.add(Opcodes.LONG);
        int next2 = startLocal + 2;
        copyLocals = new int[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            if (copied[i]) {
                copyLocals[i] = next2;
                next2 += arguments[i].getSize();
                wovenFrameLocals.add(frameType(arguments[i]));
            } else {
                copyLocals[i] = -1;
            }
        }
        returnLocal = next2;
        thrownLocal = returnLocal + Math.max(1, returnType.getSize());
    }

    private static void markCopied(boolean[] copied, WovenCall.Read read) {
        if (read != null && !read.isReturnValue()) {
            copied[read.argument] = true;
        }
    }

    @Override
    public void visitCode() {
        super.visitCode();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
        super.visitVarInsn(Opcodes.LSTORE, startLocal);
        for (int i = 0; i < arguments.length; i++) {
            if (copyLocals[i] >= 0) {
                super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals[i]);
                super.visitVarInsn(arguments[i].getOpcode(Opcodes.ISTORE), copyLocals[i]);
            }
        }
        super.visitLabel(bodyStart);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            if (opcode != Opcodes.RETURN) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), returnLocal);
            }
            super.visitJumpInsn(Opcodes.GOTO, exit);
            return;
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (type != Opcodes.F_NEW) {
            // Only expanded frames are read (ClassReader.EXPAND_FRAMES); anything else is not ours to extend.
            super.visitFrame(type, numLocal, local, numStack, stack);
            return;
        }
        List<Object> locals = padded(local, numLocal);
        locals.addAll(wovenFrameLocals);
        super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitLabel(bodyEnd);

        super.visitLabel(exit);
        if (frames) {
            List<Object> locals = padded(null, 0);
            locals.addAll(wovenFrameLocals);
            if (returnType.getSort() != Type.VOID) {
                locals.add(frameType(returnType));
            }
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 0, new Object[0]);
        }
        for (WovenCall call : calls) {
            record(call, false);
        }
        if (returnType.getSort() != Type.VOID) {
            super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
        }
        super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));

        super.visitLabel(handler);
        if (frames) {
            List<Object> locals = padded(null, 0);
            locals.addAll(wovenFrameLocals);
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {"java/lang/Throwable"});
        }
        super.visitVarInsn(Opcodes.ASTORE, thrownLocal);
        for (WovenCall call : calls) {
            record(call, true);
        }
        super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
        super.visitInsn(Opcodes.ATHROW);
        // Registered last, so that the method's own handlers, registered before, take precedence.
        super.visitTryCatchBlock(bodyStart, bodyEnd, handler, "java/lang/Throwable");
        super.visitMaxs(Math.max(maxStack, WOVEN_STACK), thrownLocal + 1);
    }

    private void record(WovenCall call, boolean failed) {
        pushInt(call.id);
        super.visitVarInsn(Opcodes.LLOAD, startLocal);
        if (failed) {
            super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
        } else {
            super.visitInsn(Opcodes.ACONST_NULL);
        }
        pushNumber(call, failed);
        for (int slot = 0; slot < MeterBridge.SLOTS; slot++) {
            if (slot < call.values.size()) {
                pushValue(call.values.get(slot), failed);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "record", RECORD_DESCRIPTOR, false);
    }

    private void pushNumber(WovenCall call, boolean failed) {
        WovenCall.Read read = call.number;
        if (read == null || (read.isReturnValue() && failed)) {
            double constant = read == null ? call.numberConstant : Double.NaN;
            if (constant == 0 && Double.doubleToRawLongBits(constant) == 0) {
                super.visitInsn(Opcodes.DCONST_0);
            } else {
                super.visitLdcInsn(constant);
            }
            return;
        }
        loadRoot(read);
        if (!read.path.isEmpty()) {
            boxIfPrimitive(read.type);
            path(read, "(Ljava/lang/Object;)D");
            return;
        }
        switch (read.type.getSort()) {
            case Type.LONG:
                super.visitInsn(Opcodes.L2D);
                break;
            case Type.FLOAT:
                super.visitInsn(Opcodes.F2D);
                break;
            case Type.DOUBLE:
                break;
            default:
                super.visitInsn(Opcodes.I2D);
                break;
        }
    }

    private void pushValue(WovenCall.Read read, boolean failed) {
        if (read.isReturnValue() && failed) {
            super.visitInsn(Opcodes.ACONST_NULL);
            return;
        }
        loadRoot(read);
        boxIfPrimitive(read.type);
        if (!read.path.isEmpty()) {
            path(read, "(Ljava/lang/Object;)Ljava/lang/Object;");
        }
    }

    private void loadRoot(WovenCall.Read read) {
        if (read.isReturnValue()) {
            super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
        } else {
            super.visitVarInsn(arguments[read.argument].getOpcode(Opcodes.ILOAD), copyLocals[read.argument]);
        }
    }

    private void path(WovenCall.Read read, String descriptor) {
        Object[] steps = new Object[read.path.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = read.path.get(i).encoded;
        }
        super.visitInvokeDynamicInsn("path", descriptor, PATH_BOOTSTRAP, steps);
    }

    private void boxIfPrimitive(Type type) {
        Type boxed;
        switch (type.getSort()) {
            case Type.BOOLEAN: boxed = Type.getType(Boolean.class); break;
            case Type.CHAR: boxed = Type.getType(Character.class); break;
            case Type.BYTE: boxed = Type.getType(Byte.class); break;
            case Type.SHORT: boxed = Type.getType(Short.class); break;
            case Type.INT: boxed = Type.getType(Integer.class); break;
            case Type.FLOAT: boxed = Type.getType(Float.class); break;
            case Type.LONG: boxed = Type.getType(Long.class); break;
            case Type.DOUBLE: boxed = Type.getType(Double.class); break;
            default: return;
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf",
                "(" + type.getDescriptor() + ")" + boxed.getDescriptor(), false);
    }

    private void pushInt(int value) {
        if (value >= -1 && value <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            super.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            super.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            super.visitLdcInsn(value);
        }
    }

    /** A frame's locals, padded with TOP up to the first woven local. */
    private List<Object> padded(Object[] local, int numLocal) {
        List<Object> locals = new ArrayList<>();
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            locals.add(local[i]);
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < startLocal; slots++) {
            locals.add(Opcodes.TOP);
        }
        return locals;
    }

    private static Object frameType(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.CHAR:
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            case Type.ARRAY:
                return type.getDescriptor();
            default:
                return type.getInternalName();
        }
    }

    private static String recordDescriptor() {
        StringBuilder descriptor = new StringBuilder("(IJLjava/lang/Throwable;D");
        for (int i = 0; i < MeterBridge.SLOTS; i++) {
            descriptor.append("Ljava/lang/Object;");
        }
        return descriptor.append(")V").toString();
    }
}
