package io.metricsagent.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The parts a recorded call is made of, each alone, on one thread, to say where the agent's
 * nanoseconds go (docs/performance.md): a clock read, the thread-local the call's cells are
 * written through, a map read by a label value, an atomic add against the plain store a series'
 * owner makes, and a bucket search. Measured in a loop, so each row is the part's throughput
 * cost; in a call they overlap with each other and with the method's own work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX})
public class CallPartsBenchmark {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final ThreadLocal<Object> WRITER = ThreadLocal.withInitial(Object::new);
    private static final double[] BOUNDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};

    private final ConcurrentHashMap<Object, Object> byTier = new ConcurrentHashMap<>();
    private final LongAdder longAdder = new LongAdder();
    private final DoubleAdder doubleAdder = new DoubleAdder();
    private final long[] owned = new long[17];
    private int tuple;
    private double seconds = 0.000000140;

    public CallPartsBenchmark() {
        for (String tier : PaymentBenchmark.TIERS) {
            byTier.put(tier, new Object());
        }
    }

    private int nextTuple() {
        int i = tuple;
        tuple = i == 2 ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** The clock reads of one recorded call: its start and its end. */
    @Benchmark
    public long nanoTimePair() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }

    @Benchmark
    public Object threadLocal() {
        return WRITER.get();
    }

    @Benchmark
    public Object mapReadByLabelValue() {
        return byTier.get(PaymentBenchmark.TIERS[nextTuple()]);
    }

    @Benchmark
    public void longAdderIncrement() {
        longAdder.increment();
    }

    @Benchmark
    public void doubleAdderAdd() {
        doubleAdder.add(seconds);
    }

    /** What a series' owner does instead of either adder: a load and an opaque store. */
    @Benchmark
    public void ownedIncrement() {
        LONGS.setOpaque(owned, 8, owned[8] + 1);
    }

    @Benchmark
    public void ownedDoubleAdd() {
        LONGS.setOpaque(owned, 9, Double.doubleToRawLongBits(Double.longBitsToDouble(owned[9]) + seconds));
    }

    @Benchmark
    public int bucketSearch() {
        double value = PaymentBenchmark.AMOUNTS[nextTuple()] / 1000;
        int bucket = 0;
        while (value > BOUNDS[bucket]) {
            bucket++;
        }
        return bucket;
    }
}
