package io.metricsagent.agent.collectors;

import io.metricsagent.agent.config.ConfigWatcher;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.weaving.Weaving;
import io.metricsagent.bootstrap.GaugeBridge;
import io.metricsagent.bootstrap.MeterBridge;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's own health on {@code /metrics}, read from its counters at scrape time:
 *
 * <pre>
 * metrics_agent_info{version="0.1.0"} 1
 * metrics_agent_instrumented_methods 3                                  in classes whose loader is alive
 * metrics_agent_bridge_slots{table="recorders",state="used"} 3          the bridge's tables: used by live classes,
 * metrics_agent_bridge_slots{table="recorders",state="free"} 253        room free for the next
 * metrics_agent_transformation_errors_total 0
 * metrics_agent_internal_errors_total{component="advice"} 0        recorders that threw, swallowed
 * metrics_agent_internal_errors_total{component="gauge"} 0         @MeteredGauge reads that failed
 * metrics_agent_internal_errors_total{component="host_sampler"} 0
 * metrics_agent_internal_errors_total{component="jvm_metrics"} 0   JVM collectors not built or that threw
 * metrics_agent_series_dropped_total{metric="payment_requests_total"} 0   calls folded into overflow
 * metrics_agent_gauge_labels_unknown_total{metric="hikaricp_connections_active"} 0   labels read as unknown
 * metrics_agent_auth_failures_total 0                                 with basic auth: requests refused for wrong credentials
 * metrics_agent_config_reloads_total{result="success"} 1             with a watched config file
 * metrics_agent_config_loaded_timestamp_seconds 1.7645e9               when its rules in force were loaded
 * metrics_agent_rule_methods{rule="metrics-agent.yml:12"} 3           methods a rule (or configured gauge) has woven now
 * </pre>
 *
 * Every figure is read from the parts of the agent it is given, so another agent (a test's, or
 * the warm-up's scratch metrics) counts into its own.
 */
public final class AgentHealth implements MultiCollector {

    private static final String VERSION = AgentProperties.version();

    private final AgentMetrics metrics;
    private final Weaving weaving;
    private final ConfigWatcher watcher;
    private final LongAdder jvmFailures;
    private final LongAdder hostFailures;
    private final LongAdder authFailures;

    /**
     * @param jvmFailures  what {@link JvmCollectors} counts
     * @param hostFailures what {@link HostSampler} counts
     * @param authFailures what the endpoint counts, or {@code null} when it asks for no credentials
     */
    public AgentHealth(AgentMetrics metrics, Weaving weaving, ConfigWatcher watcher, LongAdder jvmFailures,
                       LongAdder hostFailures, LongAdder authFailures) {
        this.authFailures = authFailures;
        this.metrics = metrics;
        this.weaving = weaving;
        this.watcher = watcher;
        this.jvmFailures = jvmFailures;
        this.hostFailures = hostFailures;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        Map<String, Integer> ruleMethods = weaving.rules().methodsByRule();
        if (!ruleMethods.isEmpty()) {
            GaugeSnapshot.Builder woven = GaugeSnapshot.builder()
                    .name("metrics_agent_rule_methods")
                    .help("Methods each configuration rule has woven, or configured gauge reads, now, by its file and line");
            ruleMethods.forEach((rule, methods) -> woven.dataPoint(
                    GaugeDataPointSnapshot.builder().labels(Labels.of("rule", rule)).value(methods).build()));
            snapshots.metricSnapshot(woven.build());
        }
        if (watcher.watching()) {
            snapshots.metricSnapshot(CounterSnapshot.builder()
                    .name("metrics_agent_config_reloads")
                    .help("Reloads of the config file after it changed, by result")
                    .dataPoint(result("success", watcher.succeeded()))
                    .dataPoint(result("failure", watcher.failed()))
                    .build());
            long loadedAt = watcher.loadedAtMillis();
            if (loadedAt > 0) {
                snapshots.metricSnapshot(GaugeSnapshot.builder()
                        .name("metrics_agent_config_loaded_timestamp_seconds")
                        .help("When the configuration in force was loaded, in seconds since the epoch")
                        .dataPoint(GaugeDataPointSnapshot.builder().value(loadedAt / 1000.0).build())
                        .build());
            }
        }
        if (authFailures != null) {
            snapshots.metricSnapshot(CounterSnapshot.builder()
                    .name("metrics_agent_auth_failures")
                    .help("Requests the endpoint refused for the basic-auth credentials they gave")
                    .dataPoint(CounterDataPointSnapshot.builder().value(authFailures.sum()).build())
                    .build());
        }
        for (MetricSnapshot snapshot : MetricSnapshots.of(
                InfoSnapshot.builder()
                        .name("metrics_agent")
                        .help("The metrics agent's version")
                        .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("version", VERSION)).build())
                        .build(),
                GaugeSnapshot.builder()
                        .name("metrics_agent_instrumented_methods")
                        .help("Methods the agent has woven, in classes whose class loader is alive")
                        .dataPoint(GaugeDataPointSnapshot.builder().value(weaving.instrumentedMethods()).build())
                        .build(),
                bridgeSlots(),
                CounterSnapshot.builder()
                        .name("metrics_agent_transformation_errors")
                        .help("Classes left uninstrumented because weaving them failed")
                        .dataPoint(CounterDataPointSnapshot.builder().value(weaving.failures()).build())
                        .build(),
                CounterSnapshot.builder()
                        .name("metrics_agent_internal_errors")
                        .help("Failures inside the agent, swallowed so that the application never sees them")
                        .dataPoint(internalErrors("advice", MeterBridge.errors() + GaugeBridge.errors()))
                        .dataPoint(internalErrors("gauge", metrics.gauges().failures()))
                        .dataPoint(internalErrors("host_sampler", hostFailures.sum()))
                        .dataPoint(internalErrors("jvm_metrics", jvmFailures.sum()))
                        .build(),
                byMetric("metrics_agent_series_dropped",
                        "Calls recorded into an overflow series because a metric reached max_series",
                        metrics.foldedCalls()),
                byMetric("metrics_agent_gauge_labels_unknown",
                        "Gauge labels read from instances as unknown: null, a getter that threw, a path that does not resolve",
                        metrics.gauges().unknownLabels()))) {
            snapshots.metricSnapshot(snapshot);
        }
        return snapshots.build();
    }

    /**
     * The bridge's tables: slots used by the woven code of live classes, and the room they hold
     * that none uses (the rest of the recorders' rows, the trackers' slots below the last used),
     * free for the next registrations.
     */
    private static GaugeSnapshot bridgeSlots() {
        int recorders = MeterBridge.registered();
        int trackers = GaugeBridge.registered();
        return GaugeSnapshot.builder()
                .name("metrics_agent_bridge_slots")
                .help("Slots of the bridge's tables: used by woven code in live class loaders, or room free for the next")
                .dataPoint(slots("recorders", "used", recorders))
                .dataPoint(slots("recorders", "free", Math.max(0, MeterBridge.slots() - recorders)))
                .dataPoint(slots("gauge_trackers", "used", trackers))
                .dataPoint(slots("gauge_trackers", "free", Math.max(0, GaugeBridge.slots() - trackers)))
                .build();
    }

    private static GaugeDataPointSnapshot slots(String table, String state, int count) {
        return GaugeDataPointSnapshot.builder().labels(Labels.of("table", table, "state", state)).value(count).build();
    }

    private static CounterSnapshot byMetric(String name, String help, Map<String, Long> counts) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        counts.forEach((metric, count) -> counter.dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of("metric", metric)).value(count).build()));
        return counter.build();
    }

    private static CounterDataPointSnapshot result(String result, long count) {
        return CounterDataPointSnapshot.builder().labels(Labels.of("result", result)).value(count).build();
    }

    private static CounterDataPointSnapshot internalErrors(String component, long count) {
        return CounterDataPointSnapshot.builder().labels(Labels.of("component", component)).value(count).build();
    }
}
