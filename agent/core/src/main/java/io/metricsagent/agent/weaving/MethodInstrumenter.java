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
 * need (so they see the values the method was called with); before every return it stores the
 * value, calls the bridge and loads the value back, leaving whatever else the operand stack holds
 * untouched (Kotlin's state machines return with more on it); one handler after the body
 * catches whatever the body throws, calls the bridge and rethrows the very exception. The
 * handler's ranges leave out the code woven at the returns and come after the method's own in
 * the exception table, so the application's handlers take precedence and the handler never
 * sees the bridge call. Frames are kept exact by appending the woven locals to each frame of the
 * body; the bridge never throws, so the code at the returns needs no frame of its own.
 *
 * <p>A recorder in a nesting group takes its start from the bridge, which answers for an inner
 * call that it is one; a recorder with a gate hands the bridge the gate's value on entry, and
 * takes its start from the answer, which may be that the call is refused; a recorder with an
 * in-flight count tells the bridge on entry, after the arguments are copied, and keeps what it
 * answers until every exit.
 */
final class MethodInstrumenter extends MethodVisitor {

    private static final String BRIDGE = "io/metricsagent/bootstrap/MeterBridge";
    static final String RECORD_DESCRIPTOR = recordDescriptor();
    private static final Handle PATH_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, BRIDGE, "path",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/String;)"
                    + "Ljava/lang/invoke/CallSite;", false);
    /**
     * More than the most the woven code pushes above what the method had on its stack: id,
     * start, thrown, number, the slots, a conversion, and for a suspend function four more.
     */
    private static final int WOVEN_STACK = 20;

    private static final String STARTED_DESCRIPTOR = "(IJ" + "Ljava/lang/Object;".repeat(MeterBridge.SLOTS)
            + ")Ljava/util/concurrent/atomic/LongAdder;";
    private static final String IN_FLIGHT = "java/util/concurrent/atomic/LongAdder";

    private final List<WovenCall> calls;
    private final boolean frames;
    /** For a Kotlin suspend function with a state machine: what it needs woven besides; else {@code null}. */
    private final SuspendFunctionWeaving suspendFunction;
    private final List<Object> initialFrameLocals = new ArrayList<>();
    /** A copy of {@code this} for values read from it, or -1. */
    private int thisLocal = -1;
    private final Type[] arguments;
    private final int[] argumentLocals;
    private final Type returnType;
    /** The start shared by the recorders outside nesting groups, or -1 when every one is in a group. */
    private final int startLocal;
    /** The local of each call's start: its own for a call in a nesting group, else {@link #startLocal}. */
    private final int[] callStartLocals;
    /** The local of each call's in-flight count, or -1. */
    private final int[] inFlightLocals;
    /** For each call, the local of each value slot read on entry, or -1 for one read where it is used. */
    private final int[][] entryLocals;
    /** Where the woven locals start, after the method's own. */
    private final int firstWovenLocal;
    private final int[] copyLocals;
    private final int returnLocal;
    private final int thrownLocal;
    /** The woven locals as frames list them, after {@link #firstWovenLocal} slots of the method's own. */
    private final List<Object> wovenFrameLocals = new ArrayList<>();
    /** Where the handler's ranges start and end: the body, less the code woven at its returns. */
    private final List<Label> rangeBounds = new ArrayList<>();
    /** Instructions of the body since the current range started: an empty range is not written. */
    private int rangeInstructions;
    private final Label handler = new Label();

    /**
     * @param maxLocals the method's own locals; the woven ones come after them
     * @param frames       whether the class file has stack map frames (version 50 and later)
     * @param continuation for a Kotlin suspend function with a state machine, the class of its
     *                     continuation: one logical call then spans its first entry and those that
     *                     resume it (see {@link MeterBridge#recordSuspendable}); else {@code null}
     */
    MethodInstrumenter(MethodVisitor next, String owner, int access, String descriptor, int maxLocals,
                       List<WovenCall> calls, boolean frames, String continuation) {
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
        boolean readsThis = false;
        for (WovenCall call : calls) {
            for (WovenCall.Read read : call.values) {
                markCopied(copied, read);
                readsThis |= read.isThis();
            }
            markCopied(copied, call.number);
            readsThis |= call.number != null && call.number.isThis();
            markCopied(copied, call.gate);
            readsThis |= call.gate != null && call.gate.isThis();
        }
        firstWovenLocal = maxLocals;
        int next2 = firstWovenLocal;
        boolean shared = false;
        for (WovenCall call : calls) {
            shared |= !call.nested;
        }
        startLocal = shared ? next2 : -1;
        if (shared) {
            next2 += 2;
            wovenFrameLocals.add(Opcodes.LONG);
        }
        callStartLocals = new int[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).nested) {
                callStartLocals[i] = next2;
                next2 += 2;
                wovenFrameLocals.add(Opcodes.LONG);
            } else {
                callStartLocals[i] = startLocal;
            }
        }
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
        if (readsThis) {
            thisLocal = next2++;
            wovenFrameLocals.add(owner);
        }
        inFlightLocals = new int[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            inFlightLocals[i] = calls.get(i).inFlight ? next2++ : -1;
            if (calls.get(i).inFlight) {
                wovenFrameLocals.add(IN_FLIGHT);
            }
        }
        entryLocals = new int[calls.size()][];
        for (int i = 0; i < calls.size(); i++) {
            List<WovenCall.Read> values = calls.get(i).values;
            entryLocals[i] = new int[values.size()];
            for (int slot = 0; slot < values.size(); slot++) {
                entryLocals[i][slot] = values.get(slot).readOnEntry && !values.get(slot).isAbsent() ? next2++ : -1;
                if (entryLocals[i][slot] >= 0) {
                    wovenFrameLocals.add("java/lang/Object");
                }
            }
        }
        if (continuation != null) {
            suspendFunction = new SuspendFunctionWeaving(next, continuation, argumentLocals[arguments.length - 1], next2);
            next2 += SuspendFunctionWeaving.FRAME_LOCALS.size();
            wovenFrameLocals.addAll(SuspendFunctionWeaving.FRAME_LOCALS);
        } else {
            suspendFunction = null;
        }
        returnLocal = next2;
        thrownLocal = returnLocal + Math.max(1, returnType.getSize());
        if ((access & Opcodes.ACC_STATIC) == 0) {
            initialFrameLocals.add(owner);
        }
        for (Type argument : arguments) {
            initialFrameLocals.add(frameType(argument));
        }
    }

    private static void markCopied(boolean[] copied, WovenCall.Read read) {
        if (read != null && read.argument >= 0) {
            copied[read.argument] = true;
        }
    }

    @Override
    public void visitCode() {
        super.visitCode();
        if (startLocal >= 0) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
            super.visitVarInsn(Opcodes.LSTORE, startLocal);
        }
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).nested) {
                pushInt(calls.get(i).id);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "enter", "(I)J", false);
                super.visitVarInsn(Opcodes.LSTORE, callStartLocals[i]);
            }
        }
        for (int i = 0; i < arguments.length; i++) {
            if (copyLocals[i] >= 0) {
                super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals[i]);
                super.visitVarInsn(arguments[i].getOpcode(Opcodes.ISTORE), copyLocals[i]);
            }
        }
        if (thisLocal >= 0) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitVarInsn(Opcodes.ASTORE, thisLocal);
        }
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).gate != null) {
                admitted(i);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            for (int slot = 0; slot < entryLocals[i].length; slot++) {
                if (entryLocals[i][slot] >= 0) {
                    readValue(calls.get(i).values.get(slot), pathStart(i));
                    super.visitVarInsn(Opcodes.ASTORE, entryLocals[i][slot]);
                }
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            if (inFlightLocals[i] >= 0) {
                started(i);
            }
        }
        if (suspendFunction != null) {
            List<Object> frameLocals = null;
            if (frames) {
                frameLocals = padded(initialFrameLocals.toArray(), initialFrameLocals.size());
                frameLocals.addAll(wovenFrameLocals);
            }
            suspendFunction.resumedOrFirst(frameLocals);
        }
        startRange();
    }

    private void startRange() {
        Label start = new Label();
        super.visitLabel(start);
        rangeBounds.add(start);
        rangeInstructions = 0;
    }

    private void endRange() {
        if (rangeInstructions == 0) {
            rangeBounds.remove(rangeBounds.size() - 1);
            return;
        }
        Label end = new Label();
        super.visitLabel(end);
        rangeBounds.add(end);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            endRange();
            if (opcode != Opcodes.RETURN) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), returnLocal);
            }
            for (int i = 0; i < calls.size(); i++) {
                finished(i);
                record(i, false);
            }
            if (opcode != Opcodes.RETURN) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
            }
            super.visitInsn(opcode);
            startRange();
            return;
        }
        rangeInstructions++;
        super.visitInsn(opcode);
    }

    // Every other instruction of the body only counts towards its range.

    @Override
    public void visitIntInsn(int opcode, int operand) {
        rangeInstructions++;
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        rangeInstructions++;
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        rangeInstructions++;
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        rangeInstructions++;
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        rangeInstructions++;
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        rangeInstructions++;
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        rangeInstructions++;
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        rangeInstructions++;
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        rangeInstructions++;
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        rangeInstructions++;
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        rangeInstructions++;
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        rangeInstructions++;
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
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
        endRange();
        super.visitLabel(handler);
        if (frames) {
            List<Object> locals = padded(null, 0);
            locals.addAll(wovenFrameLocals);
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {"java/lang/Throwable"});
        }
        super.visitVarInsn(Opcodes.ASTORE, thrownLocal);
        for (int i = 0; i < calls.size(); i++) {
            finished(i);
            record(i, true);
        }
        super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
        super.visitInsn(Opcodes.ATHROW);
        // Registered last, so that the method's own handlers, registered before, take precedence.
        for (int i = 0; i + 1 < rangeBounds.size(); i += 2) {
            super.visitTryCatchBlock(rangeBounds.get(i), rangeBounds.get(i + 1), handler, "java/lang/Throwable");
        }
        super.visitMaxs(maxStack + WOVEN_STACK, thrownLocal + 1);
    }

    /** Asks the bridge whether call {@code i}'s gate, read now, admits it; what it answers becomes the call's start. */
    private void admitted(int i) {
        pushInt(calls.get(i).id);
        super.visitVarInsn(Opcodes.LLOAD, callStartLocals[i]);
        readValue(calls.get(i).gate, pathStart(i));
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "admitted", "(IJLjava/lang/Object;)J", false);
        super.visitVarInsn(Opcodes.LSTORE, callStartLocals[i]);
    }

    /** Tells the bridge that call {@code i} started, with the values known now, and keeps its in-flight count. */
    private void started(int i) {
        WovenCall call = calls.get(i);
        pushInt(call.id);
        super.visitVarInsn(Opcodes.LLOAD, callStartLocals[i]);
        for (int slot = 0; slot < MeterBridge.SLOTS; slot++) {
            if (slot < call.values.size()) {
                pushValue(i, slot, true);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "started", STARTED_DESCRIPTOR, false);
        super.visitVarInsn(Opcodes.ASTORE, inFlightLocals[i]);
    }

    private void finished(int i) {
        if (inFlightLocals[i] >= 0) {
            super.visitVarInsn(Opcodes.ALOAD, inFlightLocals[i]);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "finished", "(L" + IN_FLIGHT + ";)V", false);
        }
    }

    private void record(int i, boolean failed) {
        WovenCall call = calls.get(i);
        pushInt(call.id);
        super.visitVarInsn(Opcodes.LLOAD, callStartLocals[i]);
        if (failed) {
            super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
        } else {
            super.visitInsn(Opcodes.ACONST_NULL);
        }
        pushNumber(call, failed, pathStart(i));
        for (int slot = 0; slot < MeterBridge.SLOTS; slot++) {
            if (slot < call.values.size()) {
                pushValue(i, slot, failed);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
        }
        if (suspendFunction == null) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "record", RECORD_DESCRIPTOR, false);
        } else {
            suspendFunction.record(call, failed ? -1 : returnLocal, returnType);
        }
    }

    /**
     * The local that paths of call {@code i} hand to the bridge beside their root, so that an
     * inner call of a nesting group, which records nothing, runs none of their getters; -1 for a
     * call outside a group.
     */
    private int pathStart(int i) {
        return calls.get(i).nested ? callStartLocals[i] : -1;
    }

    private void pushNumber(WovenCall call, boolean failed, int pathStart) {
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
            path(read, "D", pathStart);
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

    /** Pushes value slot {@code slot} of call {@code i}: read now, or as the call started. */
    private void pushValue(int i, int slot, boolean failed) {
        WovenCall.Read read = calls.get(i).values.get(slot);
        if (read.isAbsent() || (read.isReturnValue() || read.unreadOnThrow) && failed) {
            super.visitInsn(Opcodes.ACONST_NULL);
        } else if (entryLocals[i][slot] >= 0) {
            super.visitVarInsn(Opcodes.ALOAD, entryLocals[i][slot]);
        } else {
            readValue(read, pathStart(i));
        }
    }

    private void readValue(WovenCall.Read read, int pathStart) {
        if (read.isAbsent()) {
            super.visitInsn(Opcodes.ACONST_NULL);
            return;
        }
        loadRoot(read);
        boxIfPrimitive(read.type);
        if (!read.path.isEmpty()) {
            path(read, "Ljava/lang/Object;", pathStart);
        }
    }

    private void loadRoot(WovenCall.Read read) {
        if (read.isReturnValue()) {
            super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
        } else if (read.isThis()) {
            super.visitVarInsn(Opcodes.ALOAD, thisLocal);
        } else {
            super.visitVarInsn(arguments[read.argument].getOpcode(Opcodes.ILOAD), copyLocals[read.argument]);
        }
    }

    /** Reads the path from the root on the stack; from none for an inner call when {@code pathStart} is not -1. */
    private void path(WovenCall.Read read, String result, int pathStart) {
        if (pathStart >= 0) {
            super.visitVarInsn(Opcodes.LLOAD, pathStart);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "recordedRoot", "(Ljava/lang/Object;J)Ljava/lang/Object;",
                    false);
        }
        String descriptor = "(Ljava/lang/Object;)" + result;
        Object[] steps = new Object[read.path.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = read.path.get(i).encoded;
        }
        super.visitInvokeDynamicInsn("path", descriptor, PATH_BOOTSTRAP, steps);
    }

    private void boxIfPrimitive(Type type) {
        if (type.getSort() == Type.INT) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "box", "(I)Ljava/lang/Integer;", false);
            return;
        }
        Type boxed;
        switch (type.getSort()) {
            case Type.BOOLEAN: boxed = Type.getType(Boolean.class); break;
            case Type.CHAR: boxed = Type.getType(Character.class); break;
            case Type.BYTE: boxed = Type.getType(Byte.class); break;
            case Type.SHORT: boxed = Type.getType(Short.class); break;
            case Type.FLOAT: boxed = Type.getType(Float.class); break;
            case Type.LONG: boxed = Type.getType(Long.class); break;
            case Type.DOUBLE: boxed = Type.getType(Double.class); break;
            default: return;
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf",
                "(" + type.getDescriptor() + ")" + boxed.getDescriptor(), false);
    }

    private void pushInt(int value) {
        pushInt(mv, value);
    }

    static void pushInt(MethodVisitor code, int value) {
        if (value >= -1 && value <= 5) {
            code.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            code.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            code.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            code.visitLdcInsn(value);
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
        for (; slots < firstWovenLocal; slots++) {
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
