package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every metric family the agent serves, by name, and the one place a name is accepted or refused.
 * A family is declared when a method that records into it is woven; a name that is not valid in
 * Prometheus, or that an existing family already uses with another type, other labels or other
 * buckets, is refused there, so that one bad name never makes a scrape fail. Prometheus' suffixes
 * count: a counter {@code x_total} also takes {@code x} and {@code x_created}, a histogram
 * {@code h} takes {@code h_bucket}, {@code h_count}, {@code h_sum} and {@code h_created}.
 */
public final class MetricFamilies implements MultiCollector {

    private static final Set<String> RESERVED_LABELS = Set.of("le", "quantile");
    private final LongAdder failures = new LongAdder();

    /** Gauges of the agent's own and of the host, declared before any method is woven. */
    private static final String[] OWN_GAUGES = {"memory_usage_bytes", "cpu_usage_percent"};
    private static final String OWN_PREFIX = "metrics_agent_";
    /**
     * The JVM metrics' names ({@link JvmCollectors}): those starting {@value #JVM_PREFIX}, and the
     * process families, here with every name each takes. Kept whether or not they are served, so
     * that a name is valid or not whatever jvm_metrics says.
     */
    private static final String JVM_PREFIX = "jvm_";
    private static final String[][] PROCESS_FAMILIES = {
        {"process_cpu_seconds_total", "process_cpu_seconds", "process_cpu_seconds_created"},
        {"process_start_time_seconds"},
        {"process_open_fds"},
        {"process_max_fds"},
        {"process_virtual_memory_bytes"},
        {"process_resident_memory_bytes"},
    };

    private final boolean nativeHistograms;
    private final TraceExemplars traces;
    /** Each name a declared family takes, with or without suffix, to the family's own name. */
    private final Map<String, String> takenNames = new HashMap<>();
    private final Map<String, Declared> byName = new HashMap<>();
    private final List<Family> families = new CopyOnWriteArrayList<>();

    /** Families of their own, without exemplars, which nothing serves unless registered: those the check command declares. */
    public MetricFamilies(boolean nativeHistograms) {
        this(nativeHistograms, TraceExemplars.NONE);
    }

    /** The agent's families, whose classic duration histograms take exemplars from {@code traces}. */
    MetricFamilies(boolean nativeHistograms, TraceExemplars traces) {
        this.nativeHistograms = nativeHistograms;
        this.traces = traces;
        for (String gauge : OWN_GAUGES) {
            take(gauge, gauge);
            Declared own = new Declared(null, "the host sampler's gauge");
            // Never released: the host sampler's for as long as the agent runs.
            own.users = 1;
            byName.put(gauge, own);
        }
        for (String[] names : PROCESS_FAMILIES) {
            for (String name : names) {
                take(name, names[0]);
            }
            Declared jvm = new Declared(null, "the JVM metrics' process family");
            // Never released, as the host sampler's gauges: reserved for as long as the agent runs.
            jvm.users = 1;
            byName.put(names[0], jvm);
        }
    }

    /** Scrapes that left a family out because building its snapshot failed. */
    public long failures() {
        return failures.sum();
    }

    /**
     * Declares the families of one method, each new or the one already declared with the same
     * shape; all of them or, when one name is bad or clashes, none.
     *
     * @throws IllegalArgumentException naming the bad or clashing name
     */
    synchronized List<Family> declareAll(List<FamilySpec> specs) {
        List<Family> declared = new ArrayList<>();
        List<String> added = new ArrayList<>();
        try {
            for (FamilySpec spec : specs) {
                boolean known = byName.containsKey(spec.name());
                declared.add(declare(spec));
                if (!known) {
                    added.add(spec.name());
                }
            }
        } catch (IllegalArgumentException e) {
            for (String name : added) {
                remove(name);
            }
            throw e;
        }
        for (Family family : declared) {
            byName.get(family.spec.name()).users++;
        }
        return declared;
    }

    /**
     * Declares the families of one method as {@link #declareAll} does, for a caller that records
     * into none of them: the check command, for what weaving the method would say of its names.
     *
     * @throws IllegalArgumentException naming the bad or clashing name
     */
    public void declare(List<FamilySpec> specs) {
        declareAll(specs);
    }

    /** Gives up one declaration of each of these families; see {@link AgentMetrics#release}. */
    synchronized void release(List<Family> declared) {
        for (Family family : declared) {
            Declared entry = byName.get(family.spec.name());
            if (entry != null && entry.family == family && entry.users > 0) {
                entry.users--;
            }
        }
    }

    /** Drops the families and gauges that nothing declares any more; returns their names. */
    synchronized List<String> dropUnused() {
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, Declared> entry : byName.entrySet()) {
            if (entry.getValue().users == 0) {
                dropped.add(entry.getKey());
            }
        }
        for (String name : dropped) {
            remove(name);
        }
        return dropped;
    }

    private void remove(String name) {
        Family family = byName.remove(name).family;
        if (family != null) {
            families.remove(family);
        }
        for (Iterator<String> owners = takenNames.values().iterator(); owners.hasNext(); ) {
            if (owners.next().equals(name)) {
                owners.remove();
            }
        }
    }

    private Family declare(FamilySpec spec) {
        validate(spec.name(), spec.labelNames(), spec.type() == FamilySpec.Type.COUNTER);
        Declared existing = byName.get(spec.name());
        if (existing != null && existing.family != null && existing.users == 0 && !existing.family.spec.sameShape(spec)) {
            // Released by a method being woven again, and now declared otherwise: its new shape wins.
            remove(spec.name());
            existing = null;
        }
        if (existing != null) {
            if (existing.family != null && existing.family.spec.sameShape(spec)) {
                return existing.family;
            }
            throw clash(spec.name(), existing);
        }
        List<String> names = takes(spec);
        checkFree(spec.name(), names);
        Family family = spec.type() == FamilySpec.Type.COUNTER ? new CounterFamily(spec)
                : spec.type() == FamilySpec.Type.GAUGE ? new InFlightFamily(spec)
                : nativeHistograms ? new NativeHistogram(spec)
                // A number's exemplar would cost its calls as much and lead to the same traces as the duration's.
                : new ClassicHistogram(spec, spec.observed() == FamilySpec.Observed.DURATION_SECONDS ? traces
                        : TraceExemplars.NONE);
        for (String name : names) {
            take(name, spec.name());
        }
        byName.put(spec.name(), new Declared(family, spec.type().name().toLowerCase() + " " + labelList(spec.labelNames())));
        families.add(family);
        return family;
    }

    /**
     * Declares a gauge read at scrape time; gauges of one name from several methods are summed,
     * so they must have the same label names.
     *
     * @throws IllegalArgumentException naming the bad or clashing name
     */
    public synchronized void declareGauge(String name, List<String> labelNames) {
        validate(name, labelNames, false);
        String shape = "gauge " + labelList(labelNames);
        Declared existing = byName.get(name);
        if (existing != null && existing.family == null && existing.users == 0 && !existing.shape.equals(shape)) {
            remove(name);
            existing = null;
        }
        if (existing != null) {
            if (existing.family == null && existing.shape.equals(shape)) {
                existing.users++;
                return;
            }
            throw clash(name, existing);
        }
        checkFree(name, List.of(name));
        take(name, name);
        Declared declared = new Declared(null, shape);
        declared.users = 1;
        byName.put(name, declared);
    }

    /** Gives up one declaration of each of these gauges, as {@link #release} does for families. */
    synchronized void releaseGauges(List<String> names) {
        for (String name : names) {
            Declared entry = byName.get(name);
            if (entry != null && entry.family == null && entry.users > 0) {
                entry.users--;
            }
        }
    }

    /** What each family declared now records: how the status page tells a method's timings and failures. */
    public List<FamilySpec> specs() {
        List<FamilySpec> specs = new ArrayList<>();
        for (Family family : families) {
            specs.add(family.spec);
        }
        return specs;
    }

    @Override
    public MetricSnapshots collect() {
        traces.lookForTracer();
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        for (Family family : families) {
            try {
                snapshots.metricSnapshot(family.snapshot());
            } catch (RuntimeException e) {
                failures.increment();
            }
        }
        return snapshots.build();
    }

    private static void validate(String name, List<String> labelNames, boolean counter) {
        if (!FamilySpec.isName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid metric name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        if (name.startsWith(OWN_PREFIX)) {
            throw new IllegalArgumentException("'" + name + "' is taken: names starting " + OWN_PREFIX + " are the agent's own");
        }
        if (name.startsWith(JVM_PREFIX)) {
            throw new IllegalArgumentException("'" + name + "' is taken: names starting " + JVM_PREFIX + " are the JVM metrics'");
        }
        if (counter != name.endsWith("_total")) {
            throw new IllegalArgumentException(counter ? "counter '" + name + "' must end with _total"
                    : "'" + name + "' ends with _total, which Prometheus keeps for counters");
        }
        Set<String> seen = new HashSet<>();
        for (String label : labelNames) {
            if (!FamilySpec.isName(label) || label.startsWith("__") || RESERVED_LABELS.contains(label)) {
                throw new IllegalArgumentException("metric '" + name + "': '" + label + "' is not a valid label name");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("metric '" + name + "': label '" + label + "' appears twice");
            }
        }
    }

    private static List<String> takes(FamilySpec spec) {
        List<String> names = new ArrayList<>();
        String name = spec.name();
        if (spec.type() == FamilySpec.Type.COUNTER) {
            String base = name.substring(0, name.length() - "_total".length());
            names.add(base);
            names.add(name);
            names.add(base + "_created");
        } else if (spec.type() == FamilySpec.Type.GAUGE) {
            names.add(name);
        } else {
            names.add(name);
            for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created", "_gcount", "_gsum"}) {
                names.add(name + suffix);
            }
        }
        return names;
    }

    private void checkFree(String name, List<String> names) {
        for (String taken : names) {
            String owner = takenNames.get(taken);
            if (owner != null) {
                throw clash(name, byName.get(owner), owner);
            }
        }
    }

    private void take(String name, String owner) {
        takenNames.put(name, owner);
    }

    private static IllegalArgumentException clash(String name, Declared existing) {
        return clash(name, existing, name);
    }

    private static IllegalArgumentException clash(String name, Declared existing, String owner) {
        return new IllegalArgumentException("'" + name + "' clashes with the metric '" + owner + "' ("
                + existing.shape + ") already defined");
    }

    private static String labelList(List<String> labelNames) {
        return "{" + String.join(",", labelNames) + "}";
    }

    private static final class Declared {
        /** {@code null} for a gauge or a family of the agent's own. */
        final Family family;
        final String shape;
        /** How many woven methods' recorders (or gauge readings) declared it and have not released it. */
        int users;

        Declared(Family family, String shape) {
            this.family = family;
            this.shape = shape;
        }
    }
}
