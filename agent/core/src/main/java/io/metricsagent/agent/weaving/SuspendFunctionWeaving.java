package io.metricsagent.agent.weaving;

import io.metricsagent.bootstrap.MeterBridge;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * What a Kotlin suspend function with a state machine needs woven beyond a plain method: one
 * logical call spans its first entry and the entries that resume it, so each entry finds out on
 * entry which it is and the key the entries of one call share, and every exit hands both to
 * {@link MeterBridge#recordSuspendable} instead of {@link MeterBridge#record}. Writes into the
 * method's code through the {@link MethodInstrumenter} that weaves the rest, in two locals of its own.
 */
final class SuspendFunctionWeaving {

    private static final String BRIDGE = "io/metricsagent/bootstrap/MeterBridge";
    private static final String RECORD_SUSPENDABLE_DESCRIPTOR = MethodInstrumenter.RECORD_DESCRIPTOR.replace(")V",
            "ILjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Z)V");
    private static final String SUSPENDED_MARKER_OWNER = "kotlin/coroutines/intrinsics/IntrinsicsKt";
    /** The frame types of the two locals, key and resumed, in their order. */
    static final List<Object> FRAME_LOCALS = List.of("java/lang/Object", Opcodes.INTEGER);

    private final MethodVisitor code;
    private final String continuation;
    private final int continuationArgument;
    private final int keyLocal;
    private final int resumedLocal;

    /**
     * @param code                 where the woven code goes
     * @param continuation         the class of the function's continuation
     * @param continuationArgument the local of the function's last argument, its continuation
     * @param firstLocal           the first of the two locals this takes
     */
    SuspendFunctionWeaving(MethodVisitor code, String continuation, int continuationArgument, int firstLocal) {
        this.code = code;
        this.continuation = continuation;
        this.continuationArgument = continuationArgument;
        keyLocal = firstLocal;
        resumedLocal = firstLocal + 1;
    }

    /**
     * Kotlin resumes a suspended call by calling the function again with the call's own
     * continuation, its sign bit set in {@code label} (a recursive call gets the caller's, with
     * the bit clear). Decides which entry this is, and the key both entries of one call share:
     * the continuation the call was first made with, which the resumed one holds as its
     * {@code completion}.
     *
     * @param frameLocals the locals of a frame after this code, its own two last; {@code null}
     *                    when the class file has no frames
     */
    void resumedOrFirst(List<Object> frameLocals) {
        Label first = new Label();
        Label decided = new Label();
        code.visitVarInsn(Opcodes.ALOAD, continuationArgument);
        code.visitTypeInsn(Opcodes.INSTANCEOF, continuation);
        code.visitJumpInsn(Opcodes.IFEQ, first);
        code.visitVarInsn(Opcodes.ALOAD, continuationArgument);
        code.visitTypeInsn(Opcodes.CHECKCAST, continuation);
        code.visitFieldInsn(Opcodes.GETFIELD, continuation, "label", "I");
        code.visitLdcInsn(Integer.MIN_VALUE);
        code.visitInsn(Opcodes.IAND);
        code.visitJumpInsn(Opcodes.IFEQ, first);
        code.visitVarInsn(Opcodes.ALOAD, continuationArgument);
        code.visitTypeInsn(Opcodes.CHECKCAST, continuation);
        code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, continuation, "getCompletion", "()Lkotlin/coroutines/Continuation;",
                false);
        code.visitVarInsn(Opcodes.ASTORE, keyLocal);
        code.visitInsn(Opcodes.ICONST_1);
        code.visitVarInsn(Opcodes.ISTORE, resumedLocal);
        code.visitJumpInsn(Opcodes.GOTO, decided);

        code.visitLabel(first);
        if (frameLocals != null) {
            List<Object> before = frameLocals.subList(0, frameLocals.size() - FRAME_LOCALS.size());
            code.visitFrame(Opcodes.F_NEW, before.size(), before.toArray(), 0, new Object[0]);
        }
        code.visitVarInsn(Opcodes.ALOAD, continuationArgument);
        code.visitVarInsn(Opcodes.ASTORE, keyLocal);
        code.visitInsn(Opcodes.ICONST_0);
        code.visitVarInsn(Opcodes.ISTORE, resumedLocal);

        code.visitLabel(decided);
        if (frameLocals != null) {
            code.visitFrame(Opcodes.F_NEW, frameLocals.size(), frameLocals.toArray(), 0, new Object[0]);
        }
    }

    /**
     * Calls the bridge for one exit, the operands of {@link MeterBridge#record} on the stack.
     *
     * @param returnLocal the local holding what this exit returns, or -1 for an exceptional exit
     */
    void record(WovenCall call, int returnLocal, Type returnType) {
        int returnValues = 0;
        for (int slot = 0; slot < call.values.size(); slot++) {
            returnValues |= call.values.get(slot).isReturnValue() ? 1 << slot : 0;
        }
        MethodInstrumenter.pushInt(code, returnValues);
        if (returnLocal < 0) {
            code.visitInsn(Opcodes.ACONST_NULL);
        } else {
            code.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnLocal);
        }
        code.visitMethodInsn(Opcodes.INVOKESTATIC, SUSPENDED_MARKER_OWNER, "getCOROUTINE_SUSPENDED",
                "()Ljava/lang/Object;", false);
        code.visitVarInsn(Opcodes.ALOAD, keyLocal);
        code.visitVarInsn(Opcodes.ILOAD, resumedLocal);
        code.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "recordSuspendable", RECORD_SUSPENDABLE_DESCRIPTOR, false);
    }
}
