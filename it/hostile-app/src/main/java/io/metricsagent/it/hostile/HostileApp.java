package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs every case of {@link Cases} and its companions a fixed number of times and prints one line
 * per call: the value returned, or what was thrown (class, message, whether it is the instance
 * the method created, the top three stack frames). Nothing is random, so a run under the agent
 * must print exactly what a run without it prints. Then 8 threads call one metered method 10,000
 * times each, and the application prints {@code ready} and waits to be scraped.
 *
 * <p>Modes: {@code serve} (the default) waits after {@code ready}; {@code exit} returns.
 */
public final class HostileApp {

    /** The label value with quotes, backslashes, a newline and non-ASCII text. */
    static final String ESCAPE_TIER = "tier \"quoted\" \\ back\nslash \u00fcn\u00efc\u00f8d\u00e9 \u65e5\u672c";
    static final int THREADS = 8;
    static final int CALLS_PER_THREAD = 10_000;

    private static final Object VOID = new Object();
    private static final Class<?>[] CLASSES = {
        Cases.class, StringHandler.class, CovariantSource.class, Greeter.class, OverrideBase.class, OverrideSub.class,
        SuperBase.class, SuperCaller.class, AbstractPayer.class, ConcretePayer.class, NativeHolder.class, Threads.class,
    };

    private HostileApp() {}

    interface Call {
        Object call() throws Throwable;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "serve";
        if (!mode.equals("serve") && !mode.equals("exit")) {
            System.err.println("usage: HostileApp [serve|exit]");
            System.exit(2);
        }
        runCases();
        runThreads();
        System.out.println("ready");
        System.out.flush();
        if (mode.equals("serve")) {
            new CountDownLatch(1).await();
        }
    }

    private static void runCases() {
        Cases instance = new Cases("inst");
        for (int i = 0; i < 6; i++) {
            int n = i;
            run("static_void " + n, () -> {
                Cases.staticVoid(n);
                return VOID;
            });
            run("instance " + n, () -> instance.instanceCall(n));
            run("boolean " + n, () -> Cases.returnBoolean(n));
            run("byte " + n, () -> Cases.returnByte(n));
            run("char " + n, () -> Cases.returnChar(n));
            run("short " + n, () -> Cases.returnShort(n));
            run("int " + n, () -> Cases.returnInt(n));
            run("long " + n, () -> Cases.returnLong(n));
            run("float " + n, () -> Cases.returnFloat(n));
            run("double " + n, () -> Cases.returnDouble(n));
            run("object " + n, () -> Cases.returnObject(n));
            run("array " + n, () -> Cases.returnArray(n));
            run("string_array " + n, () -> Cases.returnStringArray(n));
            run("checked " + n, () -> Cases.checked(n, 500.0 * n));
            run("unchecked " + n, () -> {
                Cases.unchecked(n);
                return VOID;
            });
            run("error " + n, () -> Cases.error(n));
            run("null_message " + n, () -> Cases.nullMessage(n));
            run("nested " + n, () -> Cases.nested(n));
            run("caught " + n, () -> Cases.caught(n));
            run("multi_exit " + n, () -> Cases.multiExit(n));
            run("recursion " + n, () -> Cases.recurse(n + 1));
            run("recursion_throw " + n, () -> Cases.recurseThrow(2));
            run("sync_instance " + n, () -> instance.syncInstance(n));
            run("sync_instance_lock_released " + n, () -> Thread.holdsLock(instance));
            run("sync_static " + n, () -> Cases.syncStatic(n));
            run("varargs " + n, () -> Cases.varargs(n, countingUpTo(n)));
            run("generic " + n, () -> n % 2 == 0 ? Cases.max(n, 3) : Cases.max("a" + n, "a3"));
            run("many_params " + n, () -> Cases.manyParams(n, 1L << 40, -7L, "d" + n, 0.5, 0.25f, 1234567L,
                    100.5 * n, (short) -3, (byte) 7, 'z', n % 2 == 0, "many_tier", "m" + (n % 2), 99L));
            run("null_labels " + n, () -> Cases.nullLabels(null, null, n % 2 == 0 ? null : 2.5));
        }
        for (int i = 0; i < 3; i++) {
            int n = i;
            run("anonymous " + n, () -> {
                Cases.anonymous(n);
                return VOID;
            });
        }
        for (int i = 0; i < 4; i++) {
            boolean fail = i % 2 == 1;
            String suffix = " " + i;
            run("amt_nan" + suffix, () -> {
                Cases.amountNaN(Double.NaN, fail);
                return VOID;
            });
            run("amt_neg" + suffix, () -> {
                Cases.amountNegative(-5.0, fail);
                return VOID;
            });
            run("amt_posinf" + suffix, () -> {
                Cases.amountPositiveInfinity(Double.POSITIVE_INFINITY, fail);
                return VOID;
            });
            run("amt_neginf" + suffix, () -> {
                Cases.amountNegativeInfinity(Double.NEGATIVE_INFINITY, fail);
                return VOID;
            });
            run("amt_huge" + suffix, () -> {
                Cases.amountHuge(1e300, fail);
                return VOID;
            });
            run("amt_float" + suffix, () -> Cases.amountFloat(fail, 2.5f));
            run("amt_long" + suffix, () -> Cases.amountLong(Long.MAX_VALUE, fail));
            run("amt_int" + suffix, () -> Cases.amountInt(fail, -3));
        }
        for (int i = 0; i < 3; i++) {
            run("escape " + i, () -> Cases.escapeLabels(ESCAPE_TIER, ESCAPE_TIER));
            run("truncate " + i, () -> Cases.truncateLabels(longLabel('t'), new StringBuilder(longLabel('m'))));
        }
        for (int i = 0; i < 2; i++) {
            run("truncate_surrogate " + i, () -> Cases.truncateSurrogate(surrogateLabel()));
        }

        Handler<String> handler = new StringHandler();
        StringHandler direct = new StringHandler();
        for (int i = 0; i < 3; i++) {
            run("bridge_interface " + i, () -> handler.handle("via_interface"));
            run("bridge_direct " + i, () -> direct.handle("direct"));
        }
        run("bridge_throw", () -> handler.handle("boom"));

        Source source = new CovariantSource();
        CovariantSource covariant = new CovariantSource();
        for (int i = 0; i < 3; i++) {
            int n = i;
            run("covariant_interface " + n, () -> source.get(n));
            run("covariant_direct " + n, () -> covariant.get(n));
        }

        Greeter greeter = new GreeterImpl();
        for (int i = 0; i < 5; i++) {
            int n = i;
            run("default " + n, () -> greeter.greet("friend"));
        }
        run("default_throw", () -> greeter.greet(null));

        OverrideBase overridden = new OverrideSub();
        for (int i = 0; i < 6; i++) {
            int n = i;
            run("override_sub " + n, () -> overridden.pay(n));
        }
        OverrideBase base = new OverrideBase();
        for (int i = 0; i < 2; i++) {
            int n = i;
            run("override_base " + n, () -> base.pay(n));
        }

        SuperBase caller = new SuperCaller();
        for (int i = 0; i < 6; i++) {
            int n = i;
            run("super " + n, () -> caller.pay(n));
        }

        AbstractPayer payer = new ConcretePayer();
        for (int i = 0; i < 3; i++) {
            int n = i;
            run("abstract " + n, () -> payer.pay(n));
        }
        run("native_holder", () -> NativeHolder.touch(1));
        run("void_calls", Cases::voidCalls);
        System.out.println("annotated " + annotatedMethods());
    }

    private static void runThreads() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String tier = "t" + t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    Threads.work(1, tier);
                }
            }, "hostile-" + t);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.println("threads done total=" + Threads.TOTAL.get());
    }

    private static int[] countingUpTo(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    /** 200 characters, starting with {@code prefix}, then digits. */
    static String longLabel(char prefix) {
        StringBuilder label = new StringBuilder().append(prefix);
        for (int i = 1; i < 200; i++) {
            label.append((char) ('0' + i % 10));
        }
        return label.toString();
    }

    /** 127 'a's, then a supplementary character (a surrogate pair at 127..128), then 'b's. */
    static String surrogateLabel() {
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < 127; i++) {
            label.append('a');
        }
        label.appendCodePoint(0x1F600);
        for (int i = 0; i < 71; i++) {
            label.append('b');
        }
        return label.toString();
    }

    /** The methods the agent weaves: annotated, with a body, not bridges. */
    private static int annotatedMethods() {
        int count = 0;
        for (Class<?> type : CLASSES) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(MeteredPayment.class) && !method.isBridge()
                        && !Modifier.isAbstract(method.getModifiers()) && !Modifier.isNative(method.getModifiers())) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void run(String name, Call call) {
        Cases.lastThrown = null;
        String line;
        try {
            line = name + " -> " + describe(call.call());
        } catch (Throwable t) {
            line = name + " !! " + t.getClass().getName() + " message=" + t.getMessage()
                    + " same=" + (t == Cases.lastThrown) + " frames=" + frames(t);
        }
        System.out.println(line);
    }

    private static String describe(Object value) {
        if (value == VOID) {
            return "void";
        }
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            String text = Arrays.deepToString(new Object[] {value});
            return value.getClass().getSimpleName() + " " + text.substring(1, text.length() - 1);
        }
        if (value instanceof Character) {
            return "Character " + (int) (Character) value;
        }
        return value.getClass().getSimpleName() + " " + value;
    }

    private static String frames(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < Math.min(3, trace.length); i++) {
            StackTraceElement e = trace[i];
            frames.add(e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber() + ")");
        }
        return frames.toString();
    }
}
