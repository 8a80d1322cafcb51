package io.metricsagent.it.plugin.churn;

import io.metricsagent.api.Metered;
import io.metricsagent.api.MeteredGauge;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fifty metered methods, one series of {@code churn_op_total} each ({@code op} 00 to 49): every
 * fifth call of each throws, so that both outcomes are counted.
 */
final class Operations {

    private static final AtomicInteger CALLS = new AtomicInteger();
    private static volatile int deployment;

    static void deployed(int number) {
        deployment = number;
    }

    @MeteredGauge(name = "churn_deployment", help = "The number of the plugin's deployment, counted by the host")
    static int deployment() {
        return deployment;
    }

    @MeteredGauge(name = "churn_calls", help = "Calls the operations of this deployment took")
    static int calls() {
        return CALLS.get();
    }

    static final int COUNT = 50;

    /** Calls each operation {@code times} times; returns how many calls threw. */
    int callEach(int times) {
        int failed = 0;
        for (int call = 0; call < times; call++) {
            for (int op = 0; op < COUNT; op++) {
                try {
                    call(op, call);
                } catch (IllegalStateException e) {
                    failed++;
                }
            }
        }
        return failed;
    }

    private int call(int op, int call) {
        switch (op) {
            case 0:
                return op00(call);
            case 1:
                return op01(call);
            case 2:
                return op02(call);
            case 3:
                return op03(call);
            case 4:
                return op04(call);
            case 5:
                return op05(call);
            case 6:
                return op06(call);
            case 7:
                return op07(call);
            case 8:
                return op08(call);
            case 9:
                return op09(call);
            case 10:
                return op10(call);
            case 11:
                return op11(call);
            case 12:
                return op12(call);
            case 13:
                return op13(call);
            case 14:
                return op14(call);
            case 15:
                return op15(call);
            case 16:
                return op16(call);
            case 17:
                return op17(call);
            case 18:
                return op18(call);
            case 19:
                return op19(call);
            case 20:
                return op20(call);
            case 21:
                return op21(call);
            case 22:
                return op22(call);
            case 23:
                return op23(call);
            case 24:
                return op24(call);
            case 25:
                return op25(call);
            case 26:
                return op26(call);
            case 27:
                return op27(call);
            case 28:
                return op28(call);
            case 29:
                return op29(call);
            case 30:
                return op30(call);
            case 31:
                return op31(call);
            case 32:
                return op32(call);
            case 33:
                return op33(call);
            case 34:
                return op34(call);
            case 35:
                return op35(call);
            case 36:
                return op36(call);
            case 37:
                return op37(call);
            case 38:
                return op38(call);
            case 39:
                return op39(call);
            case 40:
                return op40(call);
            case 41:
                return op41(call);
            case 42:
                return op42(call);
            case 43:
                return op43(call);
            case 44:
                return op44(call);
            case 45:
                return op45(call);
            case 46:
                return op46(call);
            case 47:
                return op47(call);
            case 48:
                return op48(call);
            case 49:
                return op49(call);
            default:
                throw new IllegalArgumentException("no operation " + op);
        }
    }

    private static int work(int call) {
        CALLS.incrementAndGet();
        if (call % 5 == 4) {
            throw new IllegalStateException("call " + call);
        }
        return call;
    }

    @Metered(name = "churn_op", labels = "op=00")
    int op00(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=01")
    int op01(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=02")
    int op02(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=03")
    int op03(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=04")
    int op04(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=05")
    int op05(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=06")
    int op06(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=07")
    int op07(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=08")
    int op08(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=09")
    int op09(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=10")
    int op10(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=11")
    int op11(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=12")
    int op12(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=13")
    int op13(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=14")
    int op14(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=15")
    int op15(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=16")
    int op16(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=17")
    int op17(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=18")
    int op18(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=19")
    int op19(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=20")
    int op20(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=21")
    int op21(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=22")
    int op22(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=23")
    int op23(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=24")
    int op24(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=25")
    int op25(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=26")
    int op26(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=27")
    int op27(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=28")
    int op28(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=29")
    int op29(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=30")
    int op30(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=31")
    int op31(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=32")
    int op32(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=33")
    int op33(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=34")
    int op34(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=35")
    int op35(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=36")
    int op36(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=37")
    int op37(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=38")
    int op38(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=39")
    int op39(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=40")
    int op40(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=41")
    int op41(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=42")
    int op42(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=43")
    int op43(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=44")
    int op44(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=45")
    int op45(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=46")
    int op46(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=47")
    int op47(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=48")
    int op48(int call) {
        return work(call);
    }

    @Metered(name = "churn_op", labels = "op=49")
    int op49(int call) {
        return work(call);
    }
}
