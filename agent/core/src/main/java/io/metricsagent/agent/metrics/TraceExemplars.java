package io.metricsagent.agent.metrics;

import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.tracer.agent.OpenTelemetryAgentSpanContext;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Exemplars of the duration histograms' buckets: the trace and span ids of the sampled span
 * current when a call ends, read from the OpenTelemetry Java agent when one runs in the JVM, so
 * that a slow bucket leads to a trace of one of its calls. Served in OpenMetrics and protobuf; the
 * classic text format has no place for them.
 *
 * <p>The agent is looked for off the application's threads, at each scrape (or push) until it is
 * found: whichever of the two agents the command line names first, or when ours is attached
 * later, it is found by the first scrape after it has started, and calls take exemplars from then
 * on. Asking it earlier would be wrong for good: a class whose reference to the agent's span class
 * failed to resolve keeps that failure, and the agent's context storage, once read, takes no more
 * of the wrappers the agent adds while it starts. Until it is found a call pays one volatile read
 * and a branch.
 *
 * <p>A series takes at most one exemplar every {@value #SAMPLE_INTERVAL_MILLIS} ms, and keeps
 * the one of a bucket for at least {@value #KEEP_SECONDS} s, so that a scrape every 15 s finds
 * most buckets' exemplars new while the lookups stay rare; one older than
 * {@value #SERVE_SECONDS} s is no longer served. Only a call that may take one reads the current
 * span, which costs it a few objects; the others compare the time the bridge read at their end.
 */
final class TraceExemplars {

    /** The OpenTelemetry agent's class that says whether it has started; on the boot class path once it runs. */
    static final String OTEL_AGENT_INITIALIZER = "io.opentelemetry.javaagent.bootstrap.AgentInitializer";
    static final long SAMPLE_INTERVAL_MILLIS = 100;
    static final long KEEP_SECONDS = 5;
    static final long SERVE_SECONDS = 60;
    private static final long SAMPLE_INTERVAL_NANOS = SAMPLE_INTERVAL_MILLIS * 1_000_000;
    private static final long KEEP_NANOS = KEEP_SECONDS * 1_000_000_000;
    private static final long SERVE_NANOS = SERVE_SECONDS * 1_000_000_000;

    /** Never takes any: for what is not a duration, and for families nothing serves. */
    static final TraceExemplars NONE = new TraceExemplars(false);

    private final boolean enabled;
    /** {@code null} until the OpenTelemetry agent is found; never when exemplars are off. */
    private volatile SpanContext spans;

    /** @param enabled {@code false}: the agent is never looked for, and no call pays more than a branch */
    TraceExemplars(boolean enabled) {
        this.enabled = enabled;
    }

    /** Takes spans from {@code spans} from now on; the seam the tests use for the agent. */
    TraceExemplars(SpanContext spans) {
        this.enabled = true;
        this.spans = spans;
    }

    /**
     * Looks for the OpenTelemetry agent once more, until it is found: it is there when its
     * initializer, on the boot class path, says it has started. Off the application's threads.
     */
    void lookForTracer() {
        if (!enabled || spans != null) {
            return;
        }
        try {
            // The boot loader's alone: the agent's jar is also on the class path, where a second copy would load.
            Class<?> initializer = Class.forName(OTEL_AGENT_INITIALIZER, false, null);
            if (Boolean.TRUE.equals(initializer.getMethod("isAgentStarted", boolean.class).invoke(null, true))) {
                spans = new OpenTelemetryAgentSpanContext();
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Not there (yet): looked for again at the next scrape.
        }
    }

    /** What a series needs, or {@code null} while there is no span to read (the only test on the hot path). */
    SpanContext spans() {
        return spans;
    }

    /** The exemplars of one histogram series, a slot per bucket. */
    static final class Slots {
        private static final VarHandle EXEMPLARS = MethodHandles.arrayElementVarHandle(Exemplar[].class);
        private static final VarHandle TAKEN = MethodHandles.arrayElementVarHandle(long[].class);
        private static final VarHandle NEXT_SAMPLE;

        static {
            try {
                NEXT_SAMPLE = MethodHandles.lookup().findVarHandle(Slots.class, "nextSample", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Exemplar[] exemplars;
        /** By bucket, the {@code nanoTime} its exemplar was taken at. */
        private final long[] taken;
        /** The {@code nanoTime} before which the series takes no exemplar. */
        @SuppressWarnings("unused") // through NEXT_SAMPLE
        private long nextSample;

        /** @param now the {@code nanoTime} of the first call, which may take one */
        Slots(int buckets, long now) {
            exemplars = new Exemplar[buckets];
            taken = new long[buckets];
            nextSample = now;
        }

        /**
         * Offers a call that landed in {@code bucket} and ended at {@code now} (the bridge's clock
         * read, so that a call reads the clock no more often than without exemplars): taken when
         * the series is due a sample, the bucket's exemplar is old enough to give way, and the span
         * current is sampled. Threads racing here may both take one; the last stays, which is as good.
         */
        void offer(SpanContext spans, int bucket, double value, long now) {
            if (now - (long) NEXT_SAMPLE.getOpaque(this) < 0) {
                return;
            }
            if (EXEMPLARS.getOpaque(exemplars, bucket) != null
                    && now - (long) TAKEN.getOpaque(taken, bucket) < KEEP_NANOS) {
                return;
            }
            NEXT_SAMPLE.setOpaque(this, now + SAMPLE_INTERVAL_NANOS);
            Exemplar exemplar = sample(spans, value);
            if (exemplar != null) {
                TAKEN.setOpaque(taken, bucket, now);
                EXEMPLARS.setRelease(exemplars, bucket, exemplar);
            }
        }

        /** The exemplars young enough to serve. */
        Exemplars collect() {
            long now = System.nanoTime();
            List<Exemplar> served = new ArrayList<>(exemplars.length);
            for (int i = 0; i < exemplars.length; i++) {
                Exemplar exemplar = (Exemplar) EXEMPLARS.getAcquire(exemplars, i);
                if (exemplar != null && now - (long) TAKEN.getOpaque(taken, i) < SERVE_NANOS) {
                    served.add(exemplar);
                }
            }
            return served.isEmpty() ? Exemplars.EMPTY : Exemplars.of(served);
        }

        /** The current span's exemplar, or {@code null} when there is none or it is not sampled (no trace holds it). */
        private static Exemplar sample(SpanContext spans, double value) {
            if (!spans.isCurrentSpanSampled()) {
                return null;
            }
            String traceId = spans.getCurrentTraceId();
            String spanId = spans.getCurrentSpanId();
            if (traceId == null || spanId == null) {
                return null;
            }
            // The span says it is an exemplar, so that a sampler keeping whole traces by tail can keep its trace.
            spans.markCurrentSpanAsExemplar();
            return Exemplar.builder().value(value).traceId(traceId).spanId(spanId)
                    .timestampMillis(System.currentTimeMillis()).build();
        }
    }
}
