package io.metricsagent.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one class that code woven into metered methods calls. It sits on the bootstrap class path
 * so that every class loader sees it, and depends on nothing but {@code java.base}: the recorders
 * behind it belong to the agent, loaded where the application cannot see them.
 *
 * <p>Its signature is baked into woven application classes, so it knows nothing of payments or
 * any other domain: a call hands over the method's id (a constant in the woven code), its start
 * time, what it threw, and up to {@value #SLOTS} per-call values the method's description asked
 * for (arguments, the return value, or paths into them) plus one primitive number. Which slot
 * means what is known only to the method's {@link Recorder}.
 *
 * <p>A recorder may belong to a nesting group: then only the outermost call of the group on a
 * thread is recorded, so that one operation passing through a wrapper, a proxy and the object
 * they wrap (each a method the group meters) counts once. Woven code asks {@link #enter} for
 * the start of such a call; an inner level gets {@link #NESTED} instead of a time, records
 * nothing and leaves the group to the level that entered it.
 *
 * <p>A recorder may also have a gate read on entry ({@link #admitted}): a call it refuses gets
 * {@link #REFUSED}, is neither in flight nor recorded, and still holds its nesting group, so that
 * what runs inside it is an inner level too.
 */
public final class MeterBridge {

    /** How many object slots a call can hand over. */
    public static final int SLOTS = 6;

    /** Records the calls of one metered method. */
    public interface Recorder {
        /**
         * @param nanos    the call's wall time
         * @param endNanos the {@code System.nanoTime()} the call ended at, read once for both
         * @param thrown   what the call threw, or {@code null}
         * @param number   the method's primitive number (an argument or a path), or 0 when it has none
         * @param v0       per-call values in the order the method's description gave them; unused ones are {@code null}
         */
        void record(long nanos, long endNanos, Throwable thrown, double number, Object v0, Object v1, Object v2,
                    Object v3, Object v4, Object v5);

        /**
         * A call has started; only values known on entry are given (the return value's slots are
         * {@code null}). Returns the count of the call's in-flight series, already incremented,
         * which {@link #finished} decrements when the call ends; {@code null} when the method
         * keeps no such count.
         */
        default LongAdder started(Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
            return null;
        }

        /** Whether a call whose gate, read on entry, is {@code value} is metered. */
        default boolean admits(Object value) {
            return true;
        }
    }

    /** How many non-negative {@code int}s {@link #box} keeps boxed. */
    private static final int BOXED_INTS = 1024;
    /** The start of an inner call of a nesting group: not recorded. No {@code nanoTime()} is this value in practice. */
    public static final long NESTED = Long.MIN_VALUE;
    /** The start of a call its gate refused: not recorded, its nesting group held. */
    public static final long REFUSED = Long.MIN_VALUE + 1;
    private static final int NO_GROUP = -1;

    private static final LongAdder ERRORS = new LongAdder();
    /**
     * Ids are split into rows of this many: a row whose ids were all retired is dropped whole, so
     * that the table holds the rows of live recorders alone, wherever their ids fell.
     */
    private static final int ROW_BITS = 8;
    private static final int ROW = 1 << ROW_BITS;
    private static final int COLUMN = ROW - 1;
    /**
     * By id, {@code [id >>> ROW_BITS][id & COLUMN]}: the recorder, and its nesting group or
     * {@link #NO_GROUP}. Replaced by a copy at every change, never written in place, so that a
     * thread reading them sees whole rows.
     */
    private static volatile Recorder[][] recorders = new Recorder[0][];
    private static volatile int[][] nestingGroups = new int[0][];
    /** Guarded by the class's lock, as {@link #register} and {@link #retire} are: the free ids below {@link #limit}. */
    private static final FreeSlots FREE = new FreeSlots();
    /** One past the highest id registered and not retired. */
    private static int limit;
    private static final ThreadLocal<boolean[]> ENTERED = new EnteredGroups();

    private MeterBridge() {}

    /**
     * Called by woven code on entry of a method whose recorder belongs to a nesting group: its
     * start, or {@link #NESTED} when an outer call of the group is running on this thread. A call
     * that gets a start must end in {@link #record} (or {@link #recordSuspendable}), which gives
     * the group up again; woven code does so on every exit.
     */
    public static long enter(int id) {
        try {
            int group = nestingGroup(id);
            if (group != NO_GROUP) {
                boolean[] entered = ENTERED.get();
                if (group >= entered.length) {
                    entered = Arrays.copyOf(entered, Math.max(group + 1, entered.length * 2));
                    ENTERED.set(entered);
                }
                if (entered[group]) {
                    return NESTED;
                }
                entered[group] = true;
            }
        } catch (Throwable t) {
            ERRORS.increment();
        }
        return System.nanoTime();
    }

    /**
     * Called by woven code on entry of a method whose recorder has a gate, after {@link #enter},
     * with the gate's value (read from no root for an inner call, see {@link #recordedRoot}): the
     * start, {@link #NESTED} for an inner call, or {@link #REFUSED}.
     */
    public static long admitted(int id, long startNanos, Object value) {
        if (startNanos == NESTED) {
            return NESTED;
        }
        try {
            if (!recorder(id).admits(value)) {
                return REFUSED;
            }
        } catch (Throwable t) {
            ERRORS.increment();
        }
        return startNanos;
    }

    /**
     * Called by woven code on entry of a method that keeps an in-flight count, with the values
     * known then; {@code startNanos} is what {@link #enter} gave, so an inner or refused call is
     * not counted.
     */
    public static LongAdder started(int id, long startNanos, Object v0, Object v1, Object v2, Object v3, Object v4,
                                    Object v5) {
        if (startNanos == NESTED || startNanos == REFUSED) {
            return null;
        }
        try {
            return recorder(id).started(v0, v1, v2, v3, v4, v5);
        } catch (Throwable t) {
            ERRORS.increment();
            return null;
        }
    }

    /**
     * Called by woven code before it reads a path from {@code root} for a call of a nesting group
     * or with a gate: an inner or refused call, which records nothing, reads nothing, so none of
     * the path's getters run. A
     * plain static call rather than a second parameter of the path's call site, whose new shape
     * would cost the first call the spinning of method-handle classes.
     */
    public static Object recordedRoot(Object root, long startNanos) {
        return startNanos == NESTED || startNanos == REFUSED ? null : root;
    }

    /**
     * The {@code Integer} of an {@code int} value woven code or a path hands over: the JDK's own
     * cache stops at 127, so an HTTP status (200, 404, 500) would allocate one per call; this one
     * is made once for the first {@value #BOXED_INTS} non-negative values; past them it
     * boxes as the JDK does.
     */
    public static Integer box(int value) {
        return value >= 0 && value < BOXED_INTS ? BoxedInts.CACHE[value] : Integer.valueOf(value);
    }

    /** Called by woven code on every exit of a method that keeps an in-flight count. */
    public static void finished(LongAdder inFlight) {
        if (inFlight != null) {
            inFlight.decrement();
        }
    }

    /** Called by woven code on every exit of a metered method, normal or exceptional. */
    public static void record(int id, long startNanos, Throwable thrown, double number,
                              Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        if (startNanos == NESTED) {
            return;
        }
        long endNanos = startNanos == REFUSED ? 0 : System.nanoTime();
        try {
            leave(id);
            if (startNanos == REFUSED) {
                return;
            }
            recorder(id).record(endNanos - startNanos, endNanos, thrown, number, v0, v1, v2, v3, v4, v5);
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    /** Gives up the nesting group of a call that entered it. */
    private static void leave(int id) {
        int group = nestingGroup(id);
        if (group != NO_GROUP) {
            ENTERED.get()[group] = false;
        }
    }

    /**
     * Called by woven code on every exit of a method that may suspend and be entered again to
     * resume (a Kotlin suspend function with a state machine): one logical call spans several
     * JVM calls. The first entry that suspends leaves its start and values here, keyed weakly by
     * the identity of {@code key}; the entry that completes the call records them with its own
     * outcome. A call that never suspends records at once, like {@link #record}, and costs nothing
     * more; a suspension costs one small object. A call whose coroutine is abandoned is never
     * recorded, and its state goes with its key. In a nesting group, whether the call is the
     * outermost is decided by its first entry; every entry gives up the group when it returns
     * (a resumption runs on whatever thread resumes it, beside no outer level of its own).
     *
     * @param returnValues the slots (a bit each) that come from the return value: those are taken
     *                     from the completing entry, the others from the first
     * @param returned     what this entry returns; {@code suspended} when it suspends
     * @param key          the same object on every entry of one call (on the first, the
     *                     continuation it was called with; on a resumption, that one again)
     * @param resumed      whether this entry resumes a suspended call
     */
    public static void recordSuspendable(int id, long startNanos, Throwable thrown, double number,
                                         Object v0, Object v1, Object v2, Object v3, Object v4, Object v5,
                                         int returnValues, Object returned, Object suspended, Object key, boolean resumed) {
        try {
            boolean suspends = thrown == null && returned == suspended;
            if (startNanos != NESTED) {
                leave(id);
            }
            if (startNanos == REFUSED) {
                // Whichever entry its gate refuses, the call is not recorded.
                if (resumed) {
                    SuspendedCalls.remove(key, id);
                }
                return;
            }
            if (!resumed) {
                if (startNanos == NESTED) {
                    return;
                }
                if (suspends) {
                    SuspendedCalls.put(key, id, new SuspendedCall(startNanos, number, v0, v1, v2, v3, v4, v5));
                } else {
                    recordNow(id, startNanos, thrown, number, v0, v1, v2, v3, v4, v5);
                }
                return;
            }
            if (suspends) {
                return;
            }
            SuspendedCall call = SuspendedCalls.remove(key, id);
            if (call != null) {
                recordNow(id, call.startNanos, thrown, call.number,
                        (returnValues & 1) != 0 ? v0 : call.v0, (returnValues & 2) != 0 ? v1 : call.v1,
                        (returnValues & 4) != 0 ? v2 : call.v2, (returnValues & 8) != 0 ? v3 : call.v3,
                        (returnValues & 16) != 0 ? v4 : call.v4, (returnValues & 32) != 0 ? v5 : call.v5);
            }
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    private static void recordNow(int id, long startNanos, Throwable thrown, double number,
                                  Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        try {
            long endNanos = System.nanoTime();
            recorder(id).record(endNanos - startNanos, endNanos, thrown, number, v0, v1, v2, v3, v4, v5);
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    /** How many suspended calls are waiting to complete. */
    public static int suspendedCalls() {
        return SuspendedCalls.size();
    }

    /** Registers the recorder of a method about to be woven, recording every call; returns the id its woven code passes back. */
    public static int register(Recorder recorder) {
        return register(recorder, NO_GROUP);
    }

    /**
     * Registers the recorder of a method about to be woven; returns the id its woven code passes
     * back: the lowest {@link #retire retired} one, else a new one.
     *
     * @param nestingGroup the group, numbered from 0, whose outermost calls alone it records; -1 for none
     */
    public static synchronized int register(Recorder recorder, int nestingGroup) {
        int id = FREE.take(limit);
        limit = Math.max(limit, id + 1);
        int row = id >>> ROW_BITS;
        Recorder[][] recorderRows = Arrays.copyOf(recorders, Math.max(recorders.length, row + 1));
        int[][] groupRows = Arrays.copyOf(nestingGroups, recorderRows.length);
        Recorder[] recorderRow = recorderRows[row] == null ? new Recorder[ROW] : recorderRows[row].clone();
        int[] groupRow = groupRows[row] == null ? ungroupedRow() : groupRows[row].clone();
        recorderRow[id & COLUMN] = recorder;
        groupRow[id & COLUMN] = nestingGroup;
        recorderRows[row] = recorderRow;
        groupRows[row] = groupRow;
        nestingGroups = groupRows;
        recorders = recorderRows;
        return id;
    }

    /**
     * Gives up the ids of recorders whose woven code can no longer run (the loader of its class
     * was collected, or the class file woven with them was never used), for later registrations
     * to take. A call that reached a retired id anyway would be counted as an error, never passed on.
     */
    public static synchronized void retire(int... ids) {
        Recorder[][] recorderRows = recorders.clone();
        int[][] groupRows = nestingGroups.clone();
        for (int id : ids) {
            int row = id >>> ROW_BITS;
            if (id < 0 || row >= recorderRows.length || recorderRows[row] == null
                    || recorderRows[row][id & COLUMN] == null) {
                continue;
            }
            if (recorderRows[row] == recorders[row]) {
                recorderRows[row] = recorderRows[row].clone();
                groupRows[row] = groupRows[row].clone();
            }
            recorderRows[row][id & COLUMN] = null;
            groupRows[row][id & COLUMN] = NO_GROUP;
            FREE.free(id);
            if (isEmpty(recorderRows[row])) {
                recorderRows[row] = null;
                groupRows[row] = null;
            }
        }
        limit = FREE.trim(limit);
        int rows = (limit + COLUMN) >>> ROW_BITS;
        nestingGroups = Arrays.copyOf(groupRows, rows);
        recorders = Arrays.copyOf(recorderRows, rows);
    }

    private static int[] ungroupedRow() {
        int[] row = new int[ROW];
        Arrays.fill(row, NO_GROUP);
        return row;
    }

    private static boolean isEmpty(Recorder[] row) {
        for (Recorder recorder : row) {
            if (recorder != null) {
                return false;
            }
        }
        return true;
    }

    private static Recorder recorder(int id) {
        return recorders[id >>> ROW_BITS][id & COLUMN];
    }

    private static int nestingGroup(int id) {
        return nestingGroups[id >>> ROW_BITS][id & COLUMN];
    }

    /** How many recorders are registered and not retired. */
    public static synchronized int registered() {
        return limit - FREE.count();
    }

    /** How many recorders the table has room for in the rows it holds: those registered, and retired ids among them. */
    public static synchronized int slots() {
        int rows = 0;
        for (Recorder[] row : recorders) {
            rows += row == null ? 0 : 1;
        }
        return rows * ROW;
    }

    /** How many calls failed to record, or paths failed to read; the application never sees these. */
    public static long errors() {
        return ERRORS.sum();
    }

    /**
     * Bootstrap of the {@code invokedynamic} that woven code uses to read a path such as
     * {@code order.customer.tier} from an argument or the return value. It links once per call
     * site: the getters and fields are looked up with the woven class's own access, then held
     * in a constant call site, so a call reads them directly with no reflection. The site never
     * fails: a path that cannot be linked reads {@code null} (a label {@code unknown}, or no
     * number), and so does a path that meets {@code null} or a getter that throws.
     *
     * @param type  {@code (Object)Object}, or {@code (Object)double} for a number
     * @param steps each step as {@code kind owner name descriptor} separated by spaces, where
     *              kind is {@code m} (a no-argument method) or {@code f} (a field), owner an
     *              internal class name, descriptor the method's or field's; or
     *              {@code s owner name descriptor text} and {@code i owner name descriptor number},
     *              a method of one parameter bound to that literal (the text runs to the end); or
     *              {@code c type}: the value if it is an instance of the type, else {@code null}
     */
    public static CallSite path(MethodHandles.Lookup caller, String name, MethodType type, String... steps) {
        boolean number = type.returnType() == double.class;
        PathReader reader;
        try {
            reader = PathReader.resolve(caller, steps, number);
        } catch (Throwable t) {
            ERRORS.increment();
            reader = PathReader.UNLINKED;
        }
        try {
            MethodHandle read = MethodHandles.lookup().findVirtual(PathReader.class, number ? "readNumber" : "read",
                    MethodType.methodType(type.returnType(), Object.class));
            return new ConstantCallSite(read.bindTo(reader).asType(type));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e); // our own method: cannot happen
        }
    }

    /**
     * The nesting groups a thread is inside, by group number. Not a lambda: the bridge may be
     * first used on the application's thread before java.lang.invoke is up.
     */
    private static final class EnteredGroups extends ThreadLocal<boolean[]> {
        @Override
        protected boolean[] initialValue() {
            return new boolean[8];
        }
    }

    /** Made on the first {@link #box}, so that a JVM with no int values pays nothing for it. */
    private static final class BoxedInts {
        static final Integer[] CACHE = new Integer[BOXED_INTS];

        static {
            for (int i = 0; i < CACHE.length; i++) {
                CACHE[i] = Integer.valueOf(i);
            }
        }
    }

    /** What the first entry of a suspended call leaves for the entry that completes it. */
    private static final class SuspendedCall {
        final long startNanos;
        final double number;
        final Object v0;
        final Object v1;
        final Object v2;
        final Object v3;
        final Object v4;
        final Object v5;

        SuspendedCall(long startNanos, double number, Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
            this.startNanos = startNanos;
            this.number = number;
            this.v0 = v0;
            this.v1 = v1;
            this.v2 = v2;
            this.v3 = v3;
            this.v4 = v4;
            this.v5 = v5;
        }
    }

    /**
     * Suspended calls by the identity of their key and their recorder (a method several recorders
     * meter suspends once for each), the key held weakly: an abandoned call leaves nothing behind.
     */
    private static final class SuspendedCalls {
        private static final ConcurrentHashMap<IdentityKey, SuspendedCall> CALLS = new ConcurrentHashMap<>();
        private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

        static void put(Object key, int id, SuspendedCall call) {
            for (Reference<?> gone = COLLECTED.poll(); gone != null; gone = COLLECTED.poll()) {
                CALLS.remove(gone);
            }
            CALLS.put(new IdentityKey(key, id, COLLECTED), call);
        }

        static SuspendedCall remove(Object key, int id) {
            return CALLS.remove(new IdentityKey(key, id, null));
        }

        static int size() {
            return CALLS.size();
        }
    }

    private static final class IdentityKey extends WeakReference<Object> {
        private final int id;
        private final int hash;

        IdentityKey(Object referent, int id, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.id = id;
            hash = System.identityHashCode(referent) * 31 + id;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof IdentityKey)) {
                return false;
            }
            Object referent = get();
            return referent != null && referent == ((IdentityKey) other).get() && id == ((IdentityKey) other).id;
        }
    }

    /** Follows one path; held by a constant call site, so by the woven class and nothing else. */
    static final class PathReader {
        static final PathReader UNLINKED = new PathReader(new MethodHandle[0], null);
        private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);
        private static final MethodType OBJECT_TO_DOUBLE = MethodType.methodType(double.class, Object.class);
        /** {@code (Class, Object)boolean}: whether the value is an instance of the class. */
        private static final MethodHandle IS_INSTANCE = isInstance();
        /** {@code (Object)Object} answering {@code null}: what a value of another type reads. */
        private static final MethodHandle NOTHING = MethodHandles.dropArguments(
                MethodHandles.constant(Object.class, null), 0, Object.class);

        /** Each {@code (Object)Object}. */
        private final MethodHandle[] steps;
        /** For a number read from a primitive getter or field: the last step as {@code (Object)double}. */
        private final MethodHandle primitiveLast;

        private PathReader(MethodHandle[] steps, MethodHandle primitiveLast) {
            this.steps = steps;
            this.primitiveLast = primitiveLast;
        }

        static PathReader resolve(MethodHandles.Lookup caller, String[] steps, boolean number)
                throws ReflectiveOperationException {
            ClassLoader loader = caller.lookupClass().getClassLoader();
            MethodHandle[] handles = new MethodHandle[steps.length];
            for (int i = 0; i < steps.length; i++) {
                String[] step = steps[i].split(" ", 5);
                Class<?> owner = Class.forName(step[1].replace('/', '.'), false, loader);
                switch (step[0]) {
                    case "f":
                        handles[i] = caller.findGetter(owner, step[2],
                                MethodType.fromMethodDescriptorString("()" + step[3], loader).returnType());
                        break;
                    case "c":
                        handles[i] = MethodHandles.guardWithTest(IS_INSTANCE.bindTo(owner),
                                MethodHandles.identity(Object.class), NOTHING);
                        break;
                    default:
                        handles[i] = caller.findVirtual(owner, step[2], MethodType.fromMethodDescriptorString(step[3], loader));
                        if (step[0].equals("s")) {
                            handles[i] = MethodHandles.insertArguments(handles[i], 1, step[4]);
                        } else if (step[0].equals("i")) {
                            handles[i] = MethodHandles.insertArguments(handles[i], 1, Integer.parseInt(step[4]));
                        }
                        break;
                }
            }
            MethodHandle last = handles[handles.length - 1];
            MethodHandle primitiveLast = null;
            if (number && last.type().returnType().isPrimitive()) {
                primitiveLast = last.asType(OBJECT_TO_DOUBLE);
                handles = Arrays.copyOf(handles, handles.length - 1);
            }
            for (int i = 0; i < handles.length; i++) {
                handles[i] = boxed(handles[i]).asType(OBJECT_TO_OBJECT);
            }
            return new PathReader(handles, primitiveLast);
        }

        private static MethodHandle isInstance() {
            try {
                return MethodHandles.lookup().findVirtual(Class.class, "isInstance",
                        MethodType.methodType(boolean.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e); // the JDK's own method: cannot happen
            }
        }

        /** An {@code int} getter or field boxed through {@link #box}, not {@code Integer.valueOf}. */
        private static MethodHandle boxed(MethodHandle step) throws ReflectiveOperationException {
            if (step.type().returnType() != int.class) {
                return step;
            }
            return MethodHandles.filterReturnValue(step, MethodHandles.lookup().findStatic(MeterBridge.class, "box",
                    MethodType.methodType(Integer.class, int.class)));
        }

        /** The value at the end of the path, or {@code null} when a step meets {@code null} or fails. */
        Object read(Object root) {
            if (this == UNLINKED) {
                return null;
            }
            try {
                Object value = root;
                for (MethodHandle step : steps) {
                    if (value == null) {
                        return null;
                    }
                    value = (Object) step.invokeExact(value);
                }
                return value;
            } catch (Throwable t) {
                ERRORS.increment();
                return null;
            }
        }

        /** The number at the end of the path, or NaN (not observed) when there is none. */
        double readNumber(Object root) {
            Object value = read(root);
            if (primitiveLast == null) {
                return value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
            }
            if (value == null) {
                return Double.NaN;
            }
            try {
                return (double) primitiveLast.invokeExact(value);
            } catch (Throwable t) {
                ERRORS.increment();
                return Double.NaN;
            }
        }
    }
}
