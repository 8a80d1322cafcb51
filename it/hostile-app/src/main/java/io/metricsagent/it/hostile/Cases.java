package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;
import io.metricsagent.api.MeteredPayment.Amount;
import io.metricsagent.api.MeteredPayment.Method;
import io.metricsagent.api.MeteredPayment.UserTier;
import java.io.IOException;

/**
 * The metered methods of the behaviour test, one gateway each; {@code currency} and {@code service}
 * repeat the gateway so that every metric family can be read per case. Every method that throws
 * stores the exception it creates in {@link #lastThrown} first, so the caller can tell whether it
 * received that very instance.
 */
final class Cases {

    static volatile Throwable lastThrown;

    private static int voidCalls;
    private final String name;

    Cases(String name) {
        this.name = name;
    }

    static <T extends Throwable> T remember(T t) {
        lastThrown = t;
        return t;
    }

    // ---- static, instance, void ----

    @MeteredPayment(gateway = "case_static_void", currency = "case_static_void", service = "case_static_void")
    static void staticVoid(int i) {
        voidCalls += i;
    }

    static int voidCalls() {
        return voidCalls;
    }

    @MeteredPayment(gateway = "case_instance", currency = "case_instance", service = "case_instance")
    String instanceCall(int i) {
        return name + "#" + i;
    }

    // ---- the eight primitive returns ----

    @MeteredPayment(gateway = "case_boolean", currency = "case_boolean", service = "case_boolean")
    static boolean returnBoolean(int i) {
        return i % 2 == 0;
    }

    @MeteredPayment(gateway = "case_byte", currency = "case_byte", service = "case_byte")
    static byte returnByte(int i) {
        return (byte) (i * 100 - 128);
    }

    @MeteredPayment(gateway = "case_char", currency = "case_char", service = "case_char")
    static char returnChar(int i) {
        return i == 5 ? '\uffff' : (char) ('a' + i);
    }

    @MeteredPayment(gateway = "case_short", currency = "case_short", service = "case_short")
    static short returnShort(int i) {
        return (short) (i * 20000);
    }

    @MeteredPayment(gateway = "case_int", currency = "case_int", service = "case_int")
    static int returnInt(int i) {
        return Integer.MIN_VALUE + i * 1_000_000_007;
    }

    @MeteredPayment(gateway = "case_long", currency = "case_long", service = "case_long")
    static long returnLong(int i) {
        return i == 0 ? Long.MIN_VALUE : Long.MAX_VALUE - i;
    }

    private static final float[] FLOATS = {Float.NaN, -0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, 1.1f};

    @MeteredPayment(gateway = "case_float", currency = "case_float", service = "case_float")
    static float returnFloat(int i) {
        return FLOATS[i];
    }

    private static final double[] DOUBLES = {Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, 1e300};

    @MeteredPayment(gateway = "case_double", currency = "case_double", service = "case_double")
    static double returnDouble(int i) {
        return DOUBLES[i];
    }

    // ---- object and array returns ----

    @MeteredPayment(gateway = "case_object", currency = "case_object", service = "case_object")
    static Object returnObject(int i) {
        switch (i % 3) {
            case 0:
                return null;
            case 1:
                return Integer.valueOf(i);
            default:
                return "object " + i;
        }
    }

    @MeteredPayment(gateway = "case_array", currency = "case_array", service = "case_array")
    static int[][] returnArray(int i) {
        return i == 0 ? new int[0][] : new int[][] {{i}, {i, i + 1}, null};
    }

    @MeteredPayment(gateway = "case_string_array", currency = "case_string_array", service = "case_string_array")
    static String[] returnStringArray(int i) {
        return i == 3 ? null : new String[] {"s" + i, null};
    }

    // ---- exceptions ----

    /** Default service ("payment"): the only case that uses it. */
    @MeteredPayment(gateway = "case_checked", currency = "case_checked")
    static String checked(int i, @Amount double amount) throws IOException {
        if (i % 2 == 0) {
            throw remember(new IOException("checked " + i));
        }
        return "ok " + amount;
    }

    @MeteredPayment(gateway = "case_unchecked", currency = "case_unchecked", service = "case_unchecked")
    static void unchecked(int i) {
        throw remember(new IllegalStateException("unchecked " + i));
    }

    @MeteredPayment(gateway = "case_error", currency = "case_error", service = "case_error")
    static int error(int i) {
        if (i % 2 == 0) {
            throw remember(new HostileError("error " + i));
        }
        throw remember(new StackOverflowError("synthetic " + i));
    }

    @MeteredPayment(gateway = "case_null_message", currency = "case_null_message", service = "case_null_message")
    static long nullMessage(int i) {
        throw remember(new IllegalArgumentException());
    }

    @MeteredPayment(gateway = "case_nested", currency = "case_nested", service = "case_nested")
    static String nested(int i) {
        String inner = level1(i);
        return "nested " + inner;
    }

    private static String level1(int i) {
        return "l1 " + level2(i);
    }

    private static String level2(int i) {
        if (i % 3 != 0) {
            throw remember(new UnsupportedOperationException("nested " + i));
        }
        return "l2 " + i;
    }

    @MeteredPayment(gateway = "case_anonymous", currency = "case_anonymous", service = "case_anonymous")
    static void anonymous(int i) {
        throw remember(AnonymousThrower.create("anonymous " + i));
    }

    /** Throws and catches inside: a success. */
    @MeteredPayment(gateway = "case_caught", currency = "case_caught", service = "case_caught")
    static String caught(int i) {
        try {
            if (i >= 0) {
                throw new IllegalStateException("caught " + i);
            }
            return "unreachable";
        } catch (IllegalStateException e) {
            return e.getMessage();
        } finally {
            voidCalls++;
        }
    }

    /** Many exits: a return per branch, a throw from a loop, a return from inside a loop. */
    @MeteredPayment(gateway = "case_multi_exit", currency = "case_multi_exit", service = "case_multi_exit")
    static int multiExit(int i) {
        if (i == 0) {
            return -1;
        }
        for (int k = 0; k < 10; k++) {
            if (k == i && i % 2 == 0) {
                return k * 10;
            }
            if (k == i && i == 3) {
                throw remember(new IndexOutOfBoundsException("loop " + k));
            }
        }
        switch (i) {
            case 1:
                return 1;
            case 5:
                return 5;
            default:
                return 0;
        }
    }

    // ---- recursion ----

    @MeteredPayment(gateway = "case_recursion", currency = "case_recursion", service = "case_recursion")
    static int recurse(int depth) {
        return depth <= 1 ? 1 : 1 + recurse(depth - 1);
    }

    @MeteredPayment(gateway = "case_recursion_throw", currency = "case_recursion_throw",
            service = "case_recursion_throw")
    static int recurseThrow(int depth) {
        if (depth == 0) {
            throw remember(new IllegalStateException("bottom"));
        }
        return 1 + recurseThrow(depth - 1);
    }

    // ---- synchronized ----

    @MeteredPayment(gateway = "case_sync_instance", currency = "case_sync_instance", service = "case_sync_instance")
    synchronized int syncInstance(int i) {
        if (i == 5) {
            throw remember(new ArithmeticException("sync " + i));
        }
        return i * i;
    }

    @MeteredPayment(gateway = "case_sync_static", currency = "case_sync_static", service = "case_sync_static")
    static synchronized long syncStatic(long x) {
        return x * 3 + (Thread.holdsLock(Cases.class) ? 1 : 0);
    }

    // ---- varargs and generics ----

    @MeteredPayment(gateway = "case_varargs", currency = "case_varargs", service = "case_varargs")
    static int varargs(@Amount double amount, int... values) {
        int sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum + values.length * 1000;
    }

    @MeteredPayment(gateway = "case_generic", currency = "case_generic", service = "case_generic")
    static <T extends Comparable<T>> T max(T a, T b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    // ---- more than ten parameters, longs and doubles before the amount ----

    @MeteredPayment(gateway = "case_many_params", currency = "case_many_params", service = "case_many_params")
    static double manyParams(int a, long b, long c, String d, double e, float f, long g, @Amount double amount,
                             short h, byte j, char k, boolean l, @UserTier String tier, @Method String method, long m) {
        return a + b + c + d.length() + e + f + g + amount + h + j + k + (l ? 1 : 0) + tier.length() + method.length() + m;
    }

    // ---- null labels and a boxed amount ----

    @MeteredPayment(gateway = "case_null_labels", currency = "case_null_labels", service = "case_null_labels")
    static String nullLabels(@UserTier Object tier, @Method Object method, @Amount Double amount) {
        return "labels " + tier + " " + method + " " + amount;
    }

    // ---- amounts ----

    @MeteredPayment(gateway = "case_amt_nan", currency = "case_amt_nan", service = "case_amt_nan")
    static void amountNaN(@Amount double amount, boolean fail) {
        failIf(fail, amount);
    }

    @MeteredPayment(gateway = "case_amt_neg", currency = "case_amt_neg", service = "case_amt_neg")
    static void amountNegative(@Amount double amount, boolean fail) {
        failIf(fail, amount);
    }

    @MeteredPayment(gateway = "case_amt_posinf", currency = "case_amt_posinf", service = "case_amt_posinf")
    static void amountPositiveInfinity(@Amount double amount, boolean fail) {
        failIf(fail, amount);
    }

    @MeteredPayment(gateway = "case_amt_neginf", currency = "case_amt_neginf", service = "case_amt_neginf")
    static void amountNegativeInfinity(@Amount double amount, boolean fail) {
        failIf(fail, amount);
    }

    @MeteredPayment(gateway = "case_amt_huge", currency = "case_amt_huge", service = "case_amt_huge")
    static void amountHuge(@Amount double amount, boolean fail) {
        failIf(fail, amount);
    }

    @MeteredPayment(gateway = "case_amt_float", currency = "case_amt_float", service = "case_amt_float")
    static float amountFloat(boolean fail, @Amount float amount) {
        failIf(fail, amount);
        return amount;
    }

    @MeteredPayment(gateway = "case_amt_long", currency = "case_amt_long", service = "case_amt_long")
    static long amountLong(@Amount long amount, boolean fail) {
        failIf(fail, amount);
        return amount;
    }

    @MeteredPayment(gateway = "case_amt_int", currency = "case_amt_int", service = "case_amt_int")
    static int amountInt(boolean fail, @Amount int amount) {
        failIf(fail, amount);
        return amount;
    }

    private static void failIf(boolean fail, double amount) {
        if (fail) {
            throw remember(new IllegalStateException("amount " + amount));
        }
    }

    // ---- label values ----

    @MeteredPayment(gateway = "case_escape", currency = "case_escape", service = "case_escape")
    static int escapeLabels(@UserTier String tier, @Method String method) {
        return tier.length() + method.length();
    }

    @MeteredPayment(gateway = "case_truncate", currency = "case_truncate", service = "case_truncate")
    static int truncateLabels(@UserTier String tier, @Method StringBuilder method) {
        return tier.length() + method.length();
    }

    @MeteredPayment(gateway = "case_truncate_surrogate", currency = "case_truncate_surrogate",
            service = "case_truncate_surrogate")
    static int truncateSurrogate(@UserTier String tier) {
        return tier.codePointCount(0, tier.length());
    }
}
