package io.metricsagent.agent.status;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.config.ConfigWatcher;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.weaving.MeteringRules;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the status page and {@code /-/status} show, read at one moment: the numbers from one
 * scrape of the registry the endpoint serves, so that they are those of {@code /metrics}; the
 * rest from the agent's parts. Methods and classes are named by strings only, so that nothing
 * here holds the application.
 */
final class Status {

    /** The agent's own families, which the page shows as its errors rather than as families. */
    private static final String OWN_PREFIX = "metrics_agent_";
    /** The agent's info family, {@code metrics_agent_info}. */
    private static final String OWN_INFO = "metrics_agent";

    final String version;
    final long startedAtMillis;
    final long atMillis;
    /** Every option by key, a secret's source as set or unset ({@link AgentOptions#inForce()}). */
    final Map<String, String> options;
    final Config config;
    final List<Rule> rules = new ArrayList<>();
    final int maxSeries;
    final List<FamilyRow> families = new ArrayList<>();
    final List<Timing> timings = new ArrayList<>();
    final long transformationErrors;
    /** {@code metrics_agent_internal_errors_total} by component. */
    final Map<String, Long> internalErrors = new LinkedHashMap<>();
    final List<AgentLog.Line> recentLines;

    /** The config file, when there is one, and its reloads. */
    static final class Config {
        /** {@code null} without {@code config=}. */
        final String file;
        final boolean watched;
        /** 0 when its rules were never loaded. */
        final long loadedAtMillis;
        final long reloadsSucceeded;
        final long reloadsFailed;
        /** {@code null} before the file first changed. */
        final ConfigWatcher.Reload lastReload;

        Config(AgentOptions options, ConfigWatcher watcher) {
            file = options.configFile();
            watched = watcher.watching();
            loadedAtMillis = watcher.loadedAtMillis();
            reloadsSucceeded = watcher.succeeded();
            reloadsFailed = watcher.failed();
            lastReload = watcher.lastReload();
        }
    }

    /** A rule or configured gauge in force, what it has woven, and the calls counted so far. */
    static final class Rule {
        final MeteringRules.Woven woven;
        /**
         * The samples of the rule's counter ({@code <metric>_total}), else its histogram's count,
         * summed over their series; {@code null} for a gauge, or when neither is served.
         */
        final Long calls;

        Rule(MeteringRules.Woven woven, Long calls) {
            this.woven = woven;
            this.calls = calls;
        }
    }

    /** A family served: its series against {@code max_series}, and calls folded into its overflow series. */
    static final class FamilyRow {
        final String name;
        final String type;
        final int series;
        final long overflow;

        FamilyRow(String name, String type, int series, long overflow) {
            this.name = name;
            this.type = type;
            this.series = series;
            this.overflow = overflow;
        }
    }

    /**
     * One method's timings, as a duration histogram's series with the same labels but for the
     * outcome: the totals so far, from which the page's script works out rates and quantiles
     * between two reads.
     */
    static final class Timing {
        final String family;
        final Labels labels;
        /** Whether the family has an outcome label, and so failures are told apart. */
        final boolean withOutcome;
        long calls;
        long failures;
        double sum;
        final double[] upperBounds;
        /** Cumulative, as {@code _bucket} counts are. */
        final long[] cumulative;

        Timing(String family, Labels labels, boolean withOutcome, ClassicHistogramBuckets buckets) {
            this.family = family;
            this.labels = labels;
            this.withOutcome = withOutcome;
            upperBounds = new double[buckets.size()];
            cumulative = new long[buckets.size()];
            for (int i = 0; i < upperBounds.length; i++) {
                upperBounds[i] = buckets.getUpperBound(i);
            }
        }

        /** Adds one series of the method's, the series of each outcome having the same buckets. */
        void add(HistogramDataPointSnapshot point, boolean failed) {
            calls += point.getCount();
            failures += failed ? point.getCount() : 0;
            sum += point.getSum();
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            long running = 0;
            for (int i = 0; i < cumulative.length && i < buckets.size(); i++) {
                running += buckets.getCount(i);
                cumulative[i] += running;
            }
        }
    }

    /**
     * Reads the status now.
     *
     * @param served the registry the endpoint serves, scraped once (but for the JVM's families)
     */
    Status(AgentOptions options, AgentMetrics metrics, MeteringRules rules, ConfigWatcher watcher,
           PrometheusRegistry served, long startedAtMillis) {
        version = AgentProperties.version();
        this.startedAtMillis = startedAtMillis;
        atMillis = System.currentTimeMillis();
        this.options = options.inForce();
        config = new Config(options, watcher);
        maxSeries = options.maxSeries();
        recentLines = AgentLog.recent();
        MetricSnapshots scrape = served.scrape(name -> !name.startsWith("jvm_") && !name.startsWith("process_"));
        Map<String, MetricSnapshot> byName = new HashMap<>();
        Map<String, Long> folded = metrics.foldedCalls();
        Map<String, FamilySpec> specs = new HashMap<>();
        for (FamilySpec spec : metrics.families().specs()) {
            specs.put(spec.name(), spec);
        }
        long transformationFailures = 0;
        for (MetricSnapshot snapshot : scrape) {
            String name = exposedName(snapshot);
            byName.put(name, snapshot);
            if (name.equals(OWN_PREFIX + "transformation_errors_total")) {
                transformationFailures = (long) ((CounterSnapshot) snapshot).getDataPoints().get(0).getValue();
            } else if (name.equals(OWN_PREFIX + "internal_errors_total")) {
                for (CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                    internalErrors.put(point.getLabels().get("component"), (long) point.getValue());
                }
            } else if (!name.startsWith(OWN_PREFIX) && !name.equals(OWN_INFO)) {
                families.add(new FamilyRow(name, type(snapshot), snapshot.getDataPoints().size(),
                        folded.getOrDefault(name, 0L)));
                if (snapshot instanceof HistogramSnapshot) {
                    addTimings((HistogramSnapshot) snapshot, specs.get(name));
                }
            }
        }
        transformationErrors = transformationFailures;
        for (MeteringRules.Woven woven : rules.woven()) {
            this.rules.add(new Rule(woven, woven.gauge ? null : calls(byName, woven.metric)));
        }
    }

    /** The timings of a duration histogram the agent declared, one a label set but for the outcome. */
    private void addTimings(HistogramSnapshot histogram, FamilySpec spec) {
        if (spec == null || spec.observed() != FamilySpec.Observed.DURATION_SECONDS) {
            return;
        }
        String outcome = null;
        String failure = null;
        for (int i = 0; i < spec.labels().size(); i++) {
            LabelSource label = spec.labels().get(i);
            if (label.kind() == LabelSource.Kind.OUTCOME) {
                outcome = spec.labelNames().get(i);
                failure = label.otherText();
            }
        }
        Map<Labels, Timing> byLabels = new LinkedHashMap<>();
        for (HistogramDataPointSnapshot point : histogram.getDataPoints()) {
            Labels labels = without(point.getLabels(), outcome);
            Timing timing = byLabels.get(labels);
            if (timing == null) {
                timing = new Timing(spec.name(), labels, outcome != null, point.getClassicBuckets());
                byLabels.put(labels, timing);
            }
            timing.add(point, outcome != null && failure.equals(point.getLabels().get(outcome)));
        }
        timings.addAll(byLabels.values());
    }

    private static Labels without(Labels labels, String name) {
        if (name == null) {
            return labels;
        }
        Labels.Builder kept = Labels.builder();
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.getName(i).equals(name)) {
                kept.label(labels.getName(i), labels.getValue(i));
            }
        }
        return kept.build();
    }

    private static Long calls(Map<String, MetricSnapshot> byName, String metric) {
        MetricSnapshot counter = byName.get(metric + "_total");
        if (counter instanceof CounterSnapshot) {
            long calls = 0;
            for (CounterDataPointSnapshot point : ((CounterSnapshot) counter).getDataPoints()) {
                calls += (long) point.getValue();
            }
            return calls;
        }
        MetricSnapshot histogram = byName.get(metric);
        if (histogram instanceof HistogramSnapshot) {
            long calls = 0;
            for (HistogramDataPointSnapshot point : ((HistogramSnapshot) histogram).getDataPoints()) {
                calls += point.getCount();
            }
            return calls;
        }
        return null;
    }

    /** The family's name as the exposition and {@code max_series}' overflow count know it: a counter's with {@code _total}. */
    private static String exposedName(MetricSnapshot snapshot) {
        String name = snapshot.getMetadata().getName();
        return snapshot instanceof CounterSnapshot ? name + "_total" : name;
    }

    private static String type(MetricSnapshot snapshot) {
        return snapshot instanceof CounterSnapshot ? "counter"
                : snapshot instanceof GaugeSnapshot ? "gauge"
                : snapshot instanceof HistogramSnapshot ? "histogram"
                : snapshot.getClass().getSimpleName().replace("Snapshot", "").toLowerCase(Locale.ROOT);
    }
}
