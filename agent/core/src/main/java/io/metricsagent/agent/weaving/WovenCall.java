package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.ValueSource;
import java.util.List;
import net.bytebuddy.jar.asm.Type;

/**
 * What the woven code of one metered method hands the bridge for one of its recorders: the
 * recorder's id, where each value slot is read from, and where the number comes from. Decided
 * once when the class is woven; the code then holds it all as constants and local reads.
 */
final class WovenCall {

    /** A value read per call: an argument or the return value, then a resolved path, if any. */
    static final class Read {
        /** A value the method cannot give (an entry of {@code first_of}): {@code null} on every call. */
        static final Read ABSENT = new Read(-3, Type.VOID_TYPE, List.of());

        /** The argument index, or -1 for the return value, -2 for {@code this}, -3 for none. */
        final int argument;
        /** The declared type of the argument or return value, or the class for {@code this}. */
        final Type type;
        final List<PathResolver.Step> path;
        /** Whether a call that throws reads {@code null} instead: only labels with a {@code thrown:} text read it. */
        final boolean unreadOnThrow;
        /** Whether it is read as the call starts, and kept for its end. */
        final boolean readOnEntry;

        Read(int argument, Type type, List<PathResolver.Step> path) {
            this(argument, type, path, false, false);
        }

        private Read(int argument, Type type, List<PathResolver.Step> path, boolean unreadOnThrow, boolean readOnEntry) {
            this.argument = argument;
            this.type = type;
            this.path = path;
            this.unreadOnThrow = unreadOnThrow;
            this.readOnEntry = readOnEntry;
        }

        /** The same, not read when the call throws. */
        Read unreadOnThrow() {
            return new Read(argument, type, path, true, readOnEntry);
        }

        /** The same, read as the call starts. */
        Read readOnEntry() {
            return new Read(argument, type, path, unreadOnThrow, true);
        }

        boolean isReturnValue() {
            return argument == ValueSource.RETURN_VALUE;
        }

        boolean isThis() {
            return argument == ValueSource.THIS;
        }

        boolean isAbsent() {
            return this == ABSENT;
        }
    }

    final int id;
    /** At most {@code MeterBridge.SLOTS}, in slot order. */
    final List<Read> values;
    /** Read into the primitive number slot, or {@code null} to pass {@link #numberConstant}. */
    final Read number;
    final double numberConstant;
    /**
     * Whether the recorder belongs to a nesting group or has a gate: the call's start comes from
     * the bridge, which may answer that it is an inner or a refused call.
     */
    final boolean nested;
    /** Read on entry for the recorder's {@code only_when}, or {@code null}. */
    final Read gate;
    /** Whether the recorder keeps an in-flight count: the call tells the bridge when it starts. */
    final boolean inFlight;

    WovenCall(int id, List<Read> values, Read number, double numberConstant, boolean nested, boolean inFlight,
              Read gate) {
        this.id = id;
        this.values = values;
        this.number = number;
        this.numberConstant = numberConstant;
        this.nested = nested;
        this.inFlight = inFlight;
        this.gate = gate;
    }
}
