package io.metricsagent.agent.collectors;

import io.metricsagent.agent.report.AgentLog;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The JVM's own metrics, as the client library's JVM instrumentation names them, served beside the
 * agent's ({@code jvm_metrics=true}, the default):
 *
 * <pre>
 * jvm_memory_used_bytes{area="heap"}, jvm_memory_pool_used_bytes{pool="G1 Eden Space"}, ...
 * jvm_gc_collection_seconds_count{gc="G1 Young Generation"}
 * jvm_threads_current, jvm_threads_state{state="RUNNABLE"}, ...
 * jvm_classes_currently_loaded, jvm_classes_loaded_total, jvm_compilation_time_seconds_total
 * jvm_buffer_pool_used_bytes{pool="direct"}, ...
 * jvm_runtime_info{runtime,vendor,version}
 * process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds, ...
 * </pre>
 *
 * Two of the library's collectors are left out. The native-memory one creates the platform
 * MBeanServer when it is built: an application that chooses its MBeanServer builder at start
 * ({@code javax.management.builder.initial}, as application servers do) would find one already
 * made. The allocation counter is a counter with exemplars, whose sampler starts a thread of the
 * library's own, and it adds a listener that runs after every garbage collection.
 *
 * <p>The registry fails a whole scrape when one collector throws; here each is collected on its
 * own, so that one that throws leaves only its family out of that scrape, and is counted.
 */
public final class JvmCollectors implements MultiCollector {

    /** What every collector reads from; a JVM started with {@code -m} may lack it. */
    public static final String MODULE = "java.management";

    private final List<Collector> collectors;
    private final List<MultiCollector> multiCollectors;
    private final LongAdder failures;

    private JvmCollectors(Capture built, LongAdder failures) {
        collectors = List.copyOf(built.collectors);
        multiCollectors = List.copyOf(built.multiCollectors);
        this.failures = failures;
    }

    /** Whether this JVM can have them: {@link #MODULE} is in its boot layer. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * Builds the collectors and puts them on {@code registry}. One that cannot be built is left
     * out, and all that were left out are named in one line; never throws.
     *
     * @param failures counts the collectors that could not be built, and the scrapes that left a
     *                 family out because it threw
     */
    public static void register(PrometheusRegistry registry, LongAdder failures) {
        register(registry, groups(), failures);
    }

    static void register(PrometheusRegistry registry, List<Group> groups, LongAdder failures) {
        Capture built = new Capture();
        List<String> left = new ArrayList<>();
        Throwable cause = null;
        for (Group group : groups) {
            int collectors = built.collectors.size();
            int multiCollectors = built.multiCollectors.size();
            try {
                group.builder.accept(built);
            } catch (Throwable t) {
                // What the group registered before it failed goes with it: a family half there misleads.
                built.collectors.subList(collectors, built.collectors.size()).clear();
                built.multiCollectors.subList(multiCollectors, built.multiCollectors.size()).clear();
                failures.increment();
                left.add(group.name);
                cause = cause == null ? t : cause;
            }
        }
        if (left.size() == groups.size()) {
            AgentLog.warn("JVM metrics are off, they could not be read", cause);
            return;
        }
        try {
            registry.register(new JvmCollectors(built, failures));
        } catch (Throwable t) {
            failures.increment();
            AgentLog.warn("JVM metrics are off, they could not be registered", t);
            return;
        }
        if (!left.isEmpty()) {
            AgentLog.warn("JVM metrics of " + String.join(", ", left) + " are left out, the others are served", cause);
        }
    }

    private static List<Group> groups() {
        return List.of(
                new Group("memory", registry -> JvmMemoryMetrics.builder().register(registry)),
                new Group("garbage collectors", registry -> JvmGarbageCollectorMetrics.builder().register(registry)),
                new Group("threads", registry -> JvmThreadsMetrics.builder().register(registry)),
                new Group("classes", registry -> JvmClassLoadingMetrics.builder().register(registry)),
                new Group("compilation", registry -> JvmCompilationMetrics.builder().register(registry)),
                new Group("buffer pools", registry -> JvmBufferPoolMetrics.builder().register(registry)),
                new Group("runtime", registry -> JvmRuntimeInfoMetric.builder().register(registry)),
                new Group("process", registry -> ProcessMetrics.builder().register(registry)));
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        for (Collector collector : collectors) {
            try {
                MetricSnapshot snapshot = collector.collect();
                if (snapshot != null) {
                    snapshots.metricSnapshot(snapshot);
                }
            } catch (RuntimeException | LinkageError e) {
                failures.increment();
            }
        }
        for (MultiCollector collector : multiCollectors) {
            try {
                for (MetricSnapshot snapshot : collector.collect()) {
                    snapshots.metricSnapshot(snapshot);
                }
            } catch (RuntimeException | LinkageError e) {
                failures.increment();
            }
        }
        return snapshots.build();
    }

    /** One of the library's collector classes, by what it reads. */
    static final class Group {
        final String name;
        final Consumer<PrometheusRegistry> builder;

        Group(String name, Consumer<PrometheusRegistry> builder) {
            this.name = name;
            this.builder = builder;
        }
    }

    /** Keeps what the library registers, to be collected one by one. */
    private static final class Capture extends PrometheusRegistry {
        final List<Collector> collectors = new ArrayList<>();
        final List<MultiCollector> multiCollectors = new ArrayList<>();

        @Override
        public void register(Collector collector) {
            collectors.add(collector);
        }

        @Override
        public void register(MultiCollector collector) {
            multiCollectors.add(collector);
        }
    }
}
