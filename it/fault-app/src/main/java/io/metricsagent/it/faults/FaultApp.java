package io.metricsagent.it.faults;

import io.metricsagent.api.MeteredGauge;
import io.metricsagent.api.MeteredPayment;
import java.util.concurrent.CountDownLatch;

/**
 * Makes the agent's own code fail on purpose, or floods it with label values, and prints what the
 * application saw; then stays up to be scraped.
 *
 * <ul>
 *   <li>{@code faults}: 10 payments whose amount and tier throw when the agent reads them, and a
 *       gauge whose accessor throws;
 *   <li>{@code cardinality N}: N payments, each with a tier never seen before.
 * </ul>
 */
public final class FaultApp {

    /** Held for the process's life: the agent tracks gauge instances weakly. */
    private static final Object GAUGE = new ExplodingGauge();

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("faults")) {
            for (int i = 0; i < 10; i++) {
                System.out.println("result " + pay(new ExplodingNumber(), new ExplodingLabel()));
            }
            System.out.println("gauge " + GAUGE.getClass().getSimpleName());
        } else {
            int n = Integer.parseInt(args[1]);
            long before = usedHeapAfterGc();
            for (int i = 0; i < n; i++) {
                pay(1.0, "tier-" + i);
            }
            System.out.println("heap growth bytes " + (usedHeapAfterGc() - before));
        }
        System.out.println("ready");
        new CountDownLatch(1).await();
    }

    @MeteredPayment(gateway = "faults")
    static String pay(@MeteredPayment.Amount Number amount, @MeteredPayment.UserTier Object tier) {
        return "paid";
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** An amount whose value cannot be read. */
    static final class ExplodingNumber extends Number {
        @Override
        public int intValue() {
            throw new IllegalStateException("no int");
        }

        @Override
        public long longValue() {
            throw new IllegalStateException("no long");
        }

        @Override
        public float floatValue() {
            throw new IllegalStateException("no float");
        }

        @Override
        public double doubleValue() {
            throw new IllegalStateException("no double");
        }
    }

    /** A label whose text cannot be read. */
    static final class ExplodingLabel {
        @Override
        public String toString() {
            throw new IllegalStateException("no text");
        }
    }

    /** A gauge whose accessor throws. */
    static final class ExplodingGauge {
        @MeteredGauge(name = "exploding_gauge", help = "Never readable")
        int value() {
            throw new IllegalStateException("no value");
        }
    }
}
