package io.metricsagent.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One payment call, the same body ({@link PaymentWork}) in every variant; only its instrumentation
 * differs. Each thread cycles over three fixed (amount, tier, method) tuples with its own order
 * numbers, so one call in ten throws, and the failures fall on all tiers, one in three of them
 * above 1000 (severity high).
 *
 * <p>The agents' paths are relative: run from the repository root (it/bench/run.sh does), after
 * {@code mvn -DskipTests package} wrote agent/target/metrics-agent.jar and
 * it/bench/target/agents/opentelemetry-javaagent.jar. A fork that should have an agent and has none
 * (or the other way round) fails in its setup instead of measuring the wrong thing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX})
public class PaymentBenchmark {

    static final String XMS = "-Xms1g";
    static final String XMX = "-Xmx1g";
    static final String METRICS_AGENT =
            "-javaagent:agent/target/metrics-agent.jar=port=0,host=127.0.0.1,host_metrics=false";
    static final String METRICS_AGENT_CONFIGURED = METRICS_AGENT + ",config=it/bench/metrics-agent-bench.yml";
    /** The same rules, each counting every level of nested calls (nesting: all). */
    static final String METRICS_AGENT_EVERY_LEVEL = METRICS_AGENT + ",config=it/bench/metrics-agent-bench-every-level.yml";
    /** The port of agentWithOtel's endpoint, which its setup scrapes. */
    static final int WITH_OTEL_PORT = 39464;
    /** Before the OpenTelemetry agent on the command line: the order whose detection is the harder. */
    static final String METRICS_AGENT_WITH_OTEL =
            "-javaagent:agent/target/metrics-agent.jar=port=" + WITH_OTEL_PORT + ",host=127.0.0.1,host_metrics=false";
    static final String OTEL_AGENT = "-javaagent:it/bench/target/agents/opentelemetry-javaagent.jar";
    static final String OTEL_TRACES = "-Dotel.traces.exporter=none";
    static final String OTEL_METRICS = "-Dotel.metrics.exporter=none";
    static final String OTEL_LOGS = "-Dotel.logs.exporter=none";
    static final String OTEL_QUIET = "-Dotel.javaagent.logging=none";
    static final String OTEL_METHODS =
            "-Dotel.instrumentation.methods.include=io.metricsagent.bench.PlainPayments[charge]";

    static final String[] TIERS = {"free", "premium", "enterprise"};
    static final String[] METHODS = {"card", "paypal", "bank_transfer"};
    static final double[] AMOUNTS = {49.99, 250.0, 2500.0};
    static final AgentGeneralPayments.Customer[] CUSTOMERS = {
        new AgentGeneralPayments.Customer("eu"), new AgentGeneralPayments.Customer("us"),
        new AgentGeneralPayments.Customer("apac"),
    };

    // One holder per variant, so that a fork initialises only the one it measures.
    private static final class Plain {
        static final PlainPayments PAYMENTS = new PlainPayments();
    }

    private static final class HandWrittenLabelValues {
        static final HandWrittenLabelValuesPayments PAYMENTS = new HandWrittenLabelValuesPayments();
    }

    private static final class HandWrittenCached {
        static final HandWrittenCachedPayments PAYMENTS = new HandWrittenCachedPayments(TIERS, METHODS);
    }

    private static final class Agent {
        static final AgentPayments PAYMENTS = new AgentPayments();
    }

    private static final class AgentGeneral {
        static final AgentGeneralPayments PAYMENTS = new AgentGeneralPayments();
    }

    private static final class AgentConfigured {
        static final ConfiguredPayments PAYMENTS = new ConfiguredPayments();
        static final ConfiguredPayments.Request[] REQUESTS = {
            new ConfiguredPayments.Request(AMOUNTS[0], new ConfiguredPayments.Customer(TIERS[0]), METHODS[0]),
            new ConfiguredPayments.Request(AMOUNTS[1], new ConfiguredPayments.Customer(TIERS[1]), METHODS[1]),
            new ConfiguredPayments.Request(AMOUNTS[2], new ConfiguredPayments.Customer(TIERS[2]), METHODS[2]),
        };
    }

    private static final class AgentLayered {
        static final LayeredPayments PAYMENTS = LayeredPayments.layered();
    }

    private static final class Otel {
        static final OtelPayments PAYMENTS = new OtelPayments();
    }

    private static final class Micrometer {
        static final MicrometerPayments PAYMENTS = new MicrometerPayments(TIERS, METHODS);
    }

    private long orderNo;
    private int tuple;
    /** What {@link #clockPair} measures, kept so that its clock reads are not optimized away. */
    private long elapsed;

    @Setup(Level.Trial)
    public void checkAgents(BenchmarkParams params) throws Exception {
        String variant = Forks.variant(params);
        Forks.requireAgents(variant);
        if (Forks.wantsMetricsAgent(variant)) {
            // Loads, so weaves, the class the variant calls.
            Object payments = variant.equals("agent") || variant.startsWith("agentWithOtel") ? Agent.PAYMENTS
                    : variant.equals("agentGeneral") ? AgentGeneral.PAYMENTS
                    : variant.startsWith("agentLayered") ? AgentLayered.PAYMENTS : AgentConfigured.PAYMENTS;
            if (Forks.woven() < 1) {
                throw new IllegalStateException("the metrics agent did not weave " + payments.getClass().getName());
            }
            if (Forks.wantsOtelAgent(variant)) {
                Forks.requireExemplars(WITH_OTEL_PORT, this::agent, !variant.endsWith("ExemplarsOff"));
            }
        }
    }

    private int nextTuple() {
        int i = tuple;
        tuple = i == 2 ? 0 : i + 1;
        return i;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX})
    public long baseline() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return Plain.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    /** The floor of any timed call: the uninstrumented method between two clock reads, nothing recorded. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX})
    public long clockPair() {
        long n = orderNo++;
        int i = nextTuple();
        long start = System.nanoTime();
        try {
            return Plain.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        } finally {
            elapsed += System.nanoTime() - start;
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX})
    public long handWrittenLabelValues() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return HandWrittenLabelValues.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX})
    public long handWrittenCached() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return HandWrittenCached.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT})
    public long agent() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return Agent.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    /**
     * The agent's call with the OpenTelemetry agent in the JVM and found (its setup checks an
     * exemplar is taken), no span current: what the exemplars' check costs every call (a span is
     * read at most every 100 ms per series).
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT_WITH_OTEL, OTEL_AGENT, OTEL_TRACES, OTEL_METRICS,
            OTEL_LOGS, OTEL_QUIET})
    public long agentWithOtel() {
        return agent();
    }

    /** The same with {@code exemplars=false}: what the OpenTelemetry agent's presence alone costs the call. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT_WITH_OTEL + ",exemplars=false", OTEL_AGENT, OTEL_TRACES,
            OTEL_METRICS, OTEL_LOGS, OTEL_QUIET})
    public long agentWithOtelExemplarsOff() {
        return agent();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT})
    public long agentGeneral() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return AgentGeneral.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i], CUSTOMERS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT_CONFIGURED})
    public long agentConfigured() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return AgentConfigured.PAYMENTS.charge(n, AgentConfigured.REQUESTS[i]).ordinal();
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT_EVERY_LEVEL})
    public long agentConfiguredEveryLevel() {
        return agentConfigured();
    }

    /** Three levels of one rule (nesting: outermost, the default): the call is recorded once. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT_CONFIGURED})
    public long agentLayeredOutermost() {
        return agentLayered();
    }

    /** Three levels of one rule with nesting: all: the call is recorded three times. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, METRICS_AGENT_EVERY_LEVEL})
    public long agentLayeredEveryLevel() {
        return agentLayered();
    }

    private long agentLayered() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return AgentLayered.PAYMENTS.charge(n, AgentConfigured.REQUESTS[i]).ordinal();
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, OTEL_AGENT, OTEL_TRACES, OTEL_METRICS, OTEL_LOGS, OTEL_QUIET})
    public long otelWithSpan() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return Otel.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX, OTEL_AGENT, OTEL_TRACES, OTEL_METRICS, OTEL_LOGS, OTEL_QUIET,
            OTEL_METHODS})
    public long otelMethodsInclude() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return Plain.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {XMS, XMX})
    public long micrometer() {
        long n = orderNo++;
        int i = nextTuple();
        try {
            return Micrometer.PAYMENTS.charge(n, AMOUNTS[i], TIERS[i], METHODS[i]);
        } catch (PaymentDeclinedException e) {
            return e.orderNo();
        }
    }
}
