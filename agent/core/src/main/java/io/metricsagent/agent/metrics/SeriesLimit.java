package io.metricsagent.agent.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the number of series each metric family may grow to, so that a label fed from user
 * input cannot exhaust the heap or the scrape. A label combination beyond the bound is folded
 * into one overflow series per family (its per-call labels read {@value #OVERFLOW}) and every
 * folded call is counted. Consulted only when a recorder meets a label value it has not cached,
 * never on the path of a value already seen.
 */
public final class SeriesLimit {

    /** The label value that stands for every combination beyond the bound. */
    public static final String OVERFLOW = "__overflow__";

    private final int maxSeries;
    private final Map<String, Set<List<String>>> admitted = new HashMap<>();
    private final Map<String, LongAdder> folded = new ConcurrentHashMap<>();

    SeriesLimit(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    /** One series a recorder wants: its family and label values. */
    static final class Series {
        final String family;
        final List<String> labelValues;

        Series(String family, String... labelValues) {
            this.family = family;
            this.labelValues = Arrays.asList(labelValues);
        }
    }

    /**
     * Admits all of the series or none: {@code true} when each is already admitted or fits in
     * its family's bound.
     */
    synchronized boolean admit(Series... series) {
        for (Series s : series) {
            Set<List<String>> family = admitted.get(s.family);
            if (family != null && !family.contains(s.labelValues) && family.size() >= maxSeries) {
                return false;
            }
        }
        // No lambdas here or below: this runs on an application thread, on a method's first calls.
        for (Series s : series) {
            Set<List<String>> family = admitted.get(s.family);
            if (family == null) {
                family = new HashSet<>();
                admitted.put(s.family, family);
            }
            family.add(s.labelValues);
        }
        return true;
    }

    /** Forgets a family that is no longer served: one of its name declared again starts with no series. */
    synchronized void forget(String family) {
        admitted.remove(family);
        folded.remove(family);
    }

    /** Counts one call recorded into the overflow series of {@code family}. */
    void fold(String family) {
        LongAdder count = folded.get(family);
        if (count == null) {
            LongAdder created = new LongAdder();
            count = folded.putIfAbsent(family, created);
            if (count == null) {
                count = created;
            }
        }
        count.increment();
    }

    /** Calls folded into overflow series so far, by family. */
    Map<String, LongAdder> folded() {
        return folded;
    }
}
