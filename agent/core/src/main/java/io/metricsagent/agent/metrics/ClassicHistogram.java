package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A classic-bucket histogram family recorded into cells of the agent's own and exposed to the
 * exporter as client_java snapshots. An observation is a bucket search, one striped add to its
 * bucket and one to the sum: unlike the client's histogram, which also bumps a shared atomic
 * observation counter so that a scrape can freeze it, nothing here is shared between threads, so
 * two threads recording into the same series do not fight over a cache line, and the first few
 * threads to record into a series do so with no atomic add at all. The price is that a scrape racing
 * an observation may see its bucket before its sum; the count is always the sum of the buckets,
 * as Prometheus requires.
 */
final class ClassicHistogram extends Family {

    private final String[] labelNames;
    private final double[] upperBounds;
    private final Map<List<String>, Buckets> cells = new ConcurrentHashMap<>();
    private final TraceExemplars traces;

    ClassicHistogram(FamilySpec spec, TraceExemplars traces) {
        super(spec);
        this.traces = traces;
        labelNames = spec.labelNames().toArray(new String[0]);
        double[] bounds = spec.buckets();
        upperBounds = Arrays.copyOf(bounds, bounds.length + 1);
        upperBounds[bounds.length] = Double.POSITIVE_INFINITY;
    }

    @Override
    Cell series(String... labelValues) {
        // No lambda, as in CounterFamily.
        List<String> key = Arrays.asList(labelValues);
        Buckets buckets = cells.get(key);
        if (buckets == null) {
            Buckets created = new Buckets(upperBounds, traces);
            buckets = cells.putIfAbsent(key, created);
            return buckets != null ? buckets : created;
        }
        return buckets;
    }

    @Override
    MetricSnapshot snapshot() {
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(spec.name()).help(spec.help());
        cells.forEach((labelValues, cell) -> {
            long[] counts = new long[upperBounds.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = cell.owned.get(i) + cell.buckets[i].sum();
            }
            snapshot.dataPoint(HistogramDataPointSnapshot.builder()
                    .labels(Labels.of(labelNames, labelValues.toArray(new String[0])))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, counts))
                    .sum(cell.owned.getDouble(upperBounds.length) + cell.sum.sum())
                    .exemplars(cell.exemplars())
                    .build());
        });
        return snapshot.build();
    }

    /**
     * One series: its owners' bucket counts and sums (see {@link OwnedStripes}), striped adders
     * for the observations of other threads, and its exemplars once there are spans to take them from.
     */
    private static final class Buckets implements Cell {
        private final double[] upperBounds;
        /** A count per bucket, then the sum's bits. */
        private final OwnedStripes owned;
        private final LongAdder[] buckets;
        private final DoubleAdder sum = new DoubleAdder();
        private final TraceExemplars traces;
        /**
         * Made by the first call that finds spans; threads racing to make it may each make one,
         * and lose an exemplar. Final fields within, so a thread that sees it sees it whole.
         */
        private TraceExemplars.Slots slots;

        Buckets(double[] upperBounds, TraceExemplars traces) {
            this.upperBounds = upperBounds;
            this.traces = traces;
            owned = new OwnedStripes(upperBounds.length + 1);
            buckets = new LongAdder[upperBounds.length];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        @Override
        public void record(CellWriter writer, double value, long endNanos) {
            if (Double.isNaN(value)) {
                return;
            }
            // A linear search: with the dozen buckets a histogram has, it beats a binary one.
            int bucket = 0;
            while (value > upperBounds[bucket]) {
                bucket++;
            }
            OwnedStripes.Stripe stripe = owned.of(writer);
            if (stripe != null) {
                stripe.increment(bucket);
                stripe.add(upperBounds.length, value);
            } else {
                recordShared(bucket, value);
            }
            SpanContext spans = traces.spans();
            if (spans != null) {
                offer(spans, bucket, value, endNanos);
            }
        }

        // Apart from record(), as recordShared: only with the OpenTelemetry agent.
        private void offer(SpanContext spans, int bucket, double value, long endNanos) {
            TraceExemplars.Slots held = slots;
            if (held == null) {
                held = new TraceExemplars.Slots(upperBounds.length, endNanos);
                slots = held;
            }
            held.offer(spans, bucket, value, endNanos);
        }

        Exemplars exemplars() {
            TraceExemplars.Slots held = slots;
            return held == null ? Exemplars.EMPTY : held.collect();
        }

        // Apart from record(), as in OwnedStripes.claim.
        private void recordShared(int bucket, double value) {
            buckets[bucket].increment();
            sum.add(value);
        }
    }
}
