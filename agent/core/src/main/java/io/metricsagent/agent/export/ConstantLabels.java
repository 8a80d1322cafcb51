package io.metricsagent.agent.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The agent's registry as it is served and pushed, with this JVM's constant labels
 * ({@code labels=env:prod;region:eu}) on every series: the method families, the gauges, the host
 * gauges, the agent's own metrics and whatever else is registered. They are added to the
 * snapshots of a scrape, so recording pays nothing for them. A series that has a label of the
 * same name keeps its own value, as a metric's own tags win over common tags elsewhere; the
 * options refuse the names Prometheus gives meaning to ({@code job}, {@code instance}, {@code le},
 * {@code quantile}, {@code __*}).
 */
public final class ConstantLabels implements MultiCollector {

    private final PrometheusRegistry registry;
    private final Labels labels;

    ConstantLabels(PrometheusRegistry registry, Map<String, String> labels) {
        this.registry = registry;
        this.labels = Labels.of(new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()));
    }

    /**
     * What the endpoint serves and a push sends: {@code registry} itself, or, with constant
     * labels, a view of it that adds them to every series at scrape time.
     */
    public static PrometheusRegistry served(PrometheusRegistry registry, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return registry;
        }
        PrometheusRegistry served = new PrometheusRegistry();
        served.register(new ConstantLabels(registry, labels));
        return served;
    }

    @Override
    public MetricSnapshots collect() {
        return relabel(registry.scrape());
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest request) {
        return relabel(registry.scrape(request));
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        return relabel(registry.scrape(includedNames));
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
        return relabel(registry.scrape(includedNames, request));
    }

    MetricSnapshots relabel(MetricSnapshots snapshots) {
        MetricSnapshots.Builder relabelled = MetricSnapshots.builder();
        for (MetricSnapshot snapshot : snapshots) {
            MetricSnapshot labelled;
            try {
                labelled = relabel(snapshot);
            } catch (IllegalArgumentException sameSeriesTwice) {
                // Only a family whose series do not all have the same label names can get here (one
                // series with its own env="prod", another given it): served as it is, never lost.
                labelled = snapshot;
            }
            relabelled.metricSnapshot(labelled);
        }
        return relabelled.build();
    }

    private MetricSnapshot relabel(MetricSnapshot snapshot) {
        if (snapshot instanceof CounterSnapshot) {
            List<CounterDataPointSnapshot> points = new ArrayList<>();
            for (CounterDataPointSnapshot p : ((CounterSnapshot) snapshot).getDataPoints()) {
                points.add(new CounterDataPointSnapshot(p.getValue(), with(p.getLabels()), p.getExemplar(),
                        p.getCreatedTimestampMillis(), p.getScrapeTimestampMillis()));
            }
            return new CounterSnapshot(snapshot.getMetadata(), points);
        }
        if (snapshot instanceof GaugeSnapshot) {
            List<GaugeDataPointSnapshot> points = new ArrayList<>();
            for (GaugeDataPointSnapshot p : ((GaugeSnapshot) snapshot).getDataPoints()) {
                points.add(new GaugeDataPointSnapshot(p.getValue(), with(p.getLabels()), p.getExemplar(),
                        p.getScrapeTimestampMillis()));
            }
            return new GaugeSnapshot(snapshot.getMetadata(), points);
        }
        if (snapshot instanceof HistogramSnapshot) {
            HistogramSnapshot histogram = (HistogramSnapshot) snapshot;
            List<HistogramDataPointSnapshot> points = new ArrayList<>();
            for (HistogramDataPointSnapshot p : histogram.getDataPoints()) {
                points.add(new HistogramDataPointSnapshot(p.getClassicBuckets(), p.getNativeSchema(),
                        p.getNativeZeroCount(), p.getNativeZeroThreshold(), p.getNativeBucketsForPositiveValues(),
                        p.getNativeBucketsForNegativeValues(), p.getSum(), with(p.getLabels()), p.getExemplars(),
                        p.getCreatedTimestampMillis(), p.getScrapeTimestampMillis()));
            }
            return new HistogramSnapshot(histogram.isGaugeHistogram(), snapshot.getMetadata(), points);
        }
        if (snapshot instanceof SummarySnapshot) {
            List<SummaryDataPointSnapshot> points = new ArrayList<>();
            for (SummaryDataPointSnapshot p : ((SummarySnapshot) snapshot).getDataPoints()) {
                points.add(new SummaryDataPointSnapshot(p.getCount(), p.getSum(), p.getQuantiles(), with(p.getLabels()),
                        p.getExemplars(), p.getCreatedTimestampMillis(), p.getScrapeTimestampMillis()));
            }
            return new SummarySnapshot(snapshot.getMetadata(), points);
        }
        if (snapshot instanceof InfoSnapshot) {
            List<InfoDataPointSnapshot> points = new ArrayList<>();
            for (InfoDataPointSnapshot p : ((InfoSnapshot) snapshot).getDataPoints()) {
                points.add(new InfoDataPointSnapshot(with(p.getLabels()), p.getScrapeTimestampMillis()));
            }
            return new InfoSnapshot(snapshot.getMetadata(), points);
        }
        if (snapshot instanceof StateSetSnapshot) {
            List<StateSetDataPointSnapshot> points = new ArrayList<>();
            for (StateSetDataPointSnapshot p : ((StateSetSnapshot) snapshot).getDataPoints()) {
                String[] names = new String[p.size()];
                boolean[] values = new boolean[p.size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = p.getName(i);
                    values[i] = p.isTrue(i);
                }
                points.add(new StateSetDataPointSnapshot(names, values, with(p.getLabels()), p.getScrapeTimestampMillis()));
            }
            return new StateSetSnapshot(snapshot.getMetadata(), points);
        }
        if (snapshot instanceof UnknownSnapshot) {
            List<UnknownDataPointSnapshot> points = new ArrayList<>();
            for (UnknownDataPointSnapshot p : ((UnknownSnapshot) snapshot).getDataPoints()) {
                points.add(new UnknownDataPointSnapshot(p.getValue(), with(p.getLabels()), p.getExemplar(),
                        p.getScrapeTimestampMillis()));
            }
            return new UnknownSnapshot(snapshot.getMetadata(), points);
        }
        return snapshot;
    }

    /** The series' labels and the constant ones it does not have itself. */
    private Labels with(Labels own) {
        for (int i = 0; i < labels.size(); i++) {
            if (own.contains(labels.getName(i))) {
                return own.merge(without(own));
            }
        }
        return own.merge(labels);
    }

    private Labels without(Labels own) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (!own.contains(labels.getName(i))) {
                names.add(labels.getName(i));
                values.add(labels.getValue(i));
            }
        }
        return Labels.of(names, values);
    }
}
