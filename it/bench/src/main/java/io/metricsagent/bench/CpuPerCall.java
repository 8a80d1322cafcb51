package io.metricsagent.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The payment call of {@link PaymentBenchmark} timed by the CPU time of the threads that make it,
 * not by the wall clock: on a shared machine whose other work preempts a JMH fork (a run's error
 * then exceeds its score), a thread's CPU time still counts only what the call costs it. One JVM
 * under the metrics agent with it/bench/metrics-agent-bench.yml runs the uninstrumented method, the
 * same timed by two clock reads and nothing else ({@code clockPair}: the floor of any timed call)
 * and the agent's three variants in turn, round after round, a million calls each, and prints each
 * variant's median over the rounds and its difference from the uninstrumented one:
 *
 * <pre>
 * java -Xms1g -Xmx1g -javaagent:agent/target/metrics-agent.jar=port=0,host=127.0.0.1,host_metrics=false,config=it/bench/metrics-agent-bench.yml \
 *     -cp it/bench/target/benchmarks.jar io.metricsagent.bench.CpuPerCall THREADS ROUNDS
 * </pre>
 *
 * A figure here includes what the machine's other work costs the call through shared caches, so
 * it runs above JMH's on a quiet machine; compare variants of one run.
 */
public final class CpuPerCall {

    private static final String[] VARIANTS = {"baseline", "clockPair", "agent", "agentGeneral", "agentConfigured"};
    private static final int CALLS = 1_000_000;
    private static final int WARM_UP_ROUNDS = 3;
    private static final PlainPayments PLAIN = new PlainPayments();
    private static final AgentPayments AGENT = new AgentPayments();
    private static final AgentGeneralPayments GENERAL = new AgentGeneralPayments();
    private static final ConfiguredPayments CONFIGURED = new ConfiguredPayments();
    private static final ConfiguredPayments.Request[] REQUESTS = {
        new ConfiguredPayments.Request(PaymentBenchmark.AMOUNTS[0],
                new ConfiguredPayments.Customer(PaymentBenchmark.TIERS[0]), PaymentBenchmark.METHODS[0]),
        new ConfiguredPayments.Request(PaymentBenchmark.AMOUNTS[1],
                new ConfiguredPayments.Customer(PaymentBenchmark.TIERS[1]), PaymentBenchmark.METHODS[1]),
        new ConfiguredPayments.Request(PaymentBenchmark.AMOUNTS[2],
                new ConfiguredPayments.Customer(PaymentBenchmark.TIERS[2]), PaymentBenchmark.METHODS[2]),
    };
    private static volatile long sink;
    /** {@code clockPair}'s durations, a cache line apart per thread. */
    private static final long[] ELAPSED = new long[64 * 16];

    private CpuPerCall() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[][] nanos = new double[VARIANTS.length][rounds];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            for (int variant = 0; variant < VARIANTS.length; variant++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Long>> perThread = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int v = variant;
                    long firstOrder = ((long) t << 40) + (long) (round + WARM_UP_ROUNDS) * CALLS;
                    perThread.add(pool.submit(() -> {
                        start.await();
                        long before = cpu.getCurrentThreadCpuTime();
                        sink += calls(v, firstOrder, (int) (firstOrder >>> 40) * 16);
                        return cpu.getCurrentThreadCpuTime() - before;
                    }));
                }
                long total = 0;
                for (Future<Long> thread : perThread) {
                    total += thread.get();
                }
                if (round >= 0) {
                    nanos[variant][round] = total / (double) threads / CALLS;
                }
            }
        }
        pool.shutdown();
        double baseline = median(nanos[0]);
        System.out.printf("%-16s %7s %11s %22s%n", "variant", "threads", "CPU ns/call", "added ns vs baseline");
        for (int v = 0; v < VARIANTS.length; v++) {
            double median = median(nanos[v]);
            System.out.printf("%-16s %7d %11.1f %22s%n", VARIANTS[v], threads, median,
                    v == 0 ? "—" : String.format("%+.1f", median - baseline));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The same cycle of tuples as PaymentBenchmark: one call in ten declined. */
    private static long calls(int variant, long firstOrder, int slot) {
        long sum = 0;
        int i = 0;
        for (long order = firstOrder; order < firstOrder + CALLS; order++) {
            try {
                sum += call(variant, order, i, slot);
            } catch (PaymentDeclinedException e) {
                sum += e.orderNo();
            }
            i = i == 2 ? 0 : i + 1;
        }
        return sum;
    }

    private static long call(int variant, long order, int i, int slot) {
        double amount = PaymentBenchmark.AMOUNTS[i];
        String tier = PaymentBenchmark.TIERS[i];
        String method = PaymentBenchmark.METHODS[i];
        switch (variant) {
            case 0:
                return PLAIN.charge(order, amount, tier, method);
            case 1:
                long start = System.nanoTime();
                try {
                    return PLAIN.charge(order, amount, tier, method);
                } finally {
                    ELAPSED[slot] += System.nanoTime() - start;
                }
            case 2:
                return AGENT.charge(order, amount, tier, method);
            case 3:
                return GENERAL.charge(order, amount, tier, method, PaymentBenchmark.CUSTOMERS[i]);
            default:
                return CONFIGURED.charge(order, REQUESTS[i]).ordinal();
        }
    }
}
