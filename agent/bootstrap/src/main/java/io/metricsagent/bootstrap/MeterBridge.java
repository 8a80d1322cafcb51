package io.metricsagent.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
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
 */
public final class MeterBridge {

    /** How many object slots a call can hand over. */
    public static final int SLOTS = 6;

    /** Records the calls of one metered method. */
    public interface Recorder {
        /**
         * @param nanos  the call's wall time
         * @param thrown what the call threw, or {@code null}
         * @param number the method's primitive number (an argument or a path), or 0 when it has none
         * @param v0     per-call values in the order the method's description gave them; unused ones are {@code null}
         */
        void record(long nanos, Throwable thrown, double number, Object v0, Object v1, Object v2, Object v3, Object v4,
                    Object v5);
    }

    private static final LongAdder ERRORS = new LongAdder();
    private static volatile Recorder[] recorders = new Recorder[0];

    private MeterBridge() {}

    /** Called by woven code on every exit of a metered method, normal or exceptional. */
    public static void record(int id, long startNanos, Throwable thrown, double number,
                              Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        long nanos = System.nanoTime() - startNanos;
        try {
            recorders[id].record(nanos, thrown, number, v0, v1, v2, v3, v4, v5);
        } catch (Throwable t) {
            ERRORS.increment();
        }
    }

    /** Registers the recorder of a method about to be woven; returns the id its woven code passes back. */
    public static synchronized int register(Recorder recorder) {
        Recorder[] grown = Arrays.copyOf(recorders, recorders.length + 1);
        grown[recorders.length] = recorder;
        recorders = grown;
        return recorders.length - 1;
    }

    /** How many recorders have been registered. */
    public static int registered() {
        return recorders.length;
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
     *              internal class name, descriptor the method's or field's
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

    /** Follows one path; held by a constant call site, so by the woven class and nothing else. */
    static final class PathReader {
        static final PathReader UNLINKED = new PathReader(new MethodHandle[0], null);
        private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);
        private static final MethodType OBJECT_TO_DOUBLE = MethodType.methodType(double.class, Object.class);

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
                String[] step = steps[i].split(" ");
                Class<?> owner = Class.forName(step[1].replace('/', '.'), false, loader);
                handles[i] = step[0].equals("f")
                        ? caller.findGetter(owner, step[2], MethodType.fromMethodDescriptorString("()" + step[3], loader).returnType())
                        : caller.findVirtual(owner, step[2], MethodType.fromMethodDescriptorString(step[3], loader));
            }
            MethodHandle last = handles[handles.length - 1];
            MethodHandle primitiveLast = null;
            if (number && last.type().returnType().isPrimitive()) {
                primitiveLast = last.asType(OBJECT_TO_DOUBLE);
                handles = Arrays.copyOf(handles, handles.length - 1);
            }
            for (int i = 0; i < handles.length; i++) {
                handles[i] = handles[i].asType(OBJECT_TO_OBJECT);
            }
            return new PathReader(handles, primitiveLast);
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
