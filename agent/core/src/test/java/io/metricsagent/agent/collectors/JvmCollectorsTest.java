package io.metricsagent.agent.collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JvmCollectorsTest {

    /** What docs/metrics.md lists; the native-memory and allocation collectors are left out on purpose. */
    private static final Set<String> FAMILIES = new TreeSet<>(Arrays.asList(
            "jvm_buffer_pool_capacity_bytes", "jvm_buffer_pool_used_buffers", "jvm_buffer_pool_used_bytes",
            "jvm_classes_currently_loaded", "jvm_classes_loaded", "jvm_classes_unloaded",
            "jvm_compilation_time_seconds", "jvm_gc_collection_seconds",
            "jvm_memory_committed_bytes", "jvm_memory_init_bytes", "jvm_memory_max_bytes", "jvm_memory_used_bytes",
            "jvm_memory_objects_pending_finalization",
            "jvm_memory_pool_collection_committed_bytes", "jvm_memory_pool_collection_init_bytes",
            "jvm_memory_pool_collection_max_bytes", "jvm_memory_pool_collection_used_bytes",
            "jvm_memory_pool_committed_bytes", "jvm_memory_pool_init_bytes", "jvm_memory_pool_max_bytes",
            "jvm_memory_pool_used_bytes",
            "jvm_runtime_info",
            "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor",
            "jvm_threads_peak", "jvm_threads_started", "jvm_threads_state",
            "process_cpu_seconds", "process_max_fds", "process_open_fds", "process_resident_memory_bytes",
            "process_start_time_seconds", "process_virtual_memory_bytes"));

    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8.name());
    }

    /** The families of a text exposition, by the name in their TYPE line. */
    private static Set<String> families(String text) {
        return text.lines().filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.split(" ")[2])
                .map(name -> name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The names on the sample lines of a text exposition. */
    private static Set<String> sampleNames(String text) {
        return text.lines().filter(l -> !l.startsWith("#") && !l.isEmpty())
                .map(l -> l.split("[{ ]")[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    @Test
    void servesTheJvmFamiliesAndNoneOfThoseLeftOut() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        assertEquals(List.of(), stderrOf(() -> JvmCollectors.register(registry, new LongAdder())));
        String text = scrape(registry);
        assertEquals(FAMILIES, families(text));
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"} "), text);
        assertTrue(text.contains("jvm_runtime_info{runtime=\"" + System.getProperty("java.runtime.name") + "\",vendor=\""
                + System.getProperty("java.vm.vendor") + "\",version=\"" + System.getProperty("java.runtime.version")
                + "\"} 1"), text);
    }

    @Test
    void aGroupThatCannotBeBuiltIsLeftOutInOneLineAndTheOthersAreServed() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        LongAdder failures = new LongAdder();
        List<String> lines = stderrOf(() -> JvmCollectors.register(registry, List.of(
                new JvmCollectors.Group("fine", r -> gauge("test_jvm_fine", 1).register(r)),
                new JvmCollectors.Group("broken", r -> {
                    gauge("test_jvm_half", 2).register(r);
                    throw new IllegalStateException("no such bean");
                })), failures));
        assertEquals(List.of("[metrics-agent] JVM metrics of broken are left out, the others are served:"
                + " IllegalStateException: no such bean"), lines);
        assertEquals(1, failures.sum());
        assertEquals("# HELP test_jvm_fine test\n# TYPE test_jvm_fine gauge\ntest_jvm_fine 1.0\n", scrape(registry));
    }

    @Test
    void whenNoGroupCanBeBuiltTheyAreOffInOneLine() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        List<String> lines = stderrOf(() -> JvmCollectors.register(registry, List.of(
                new JvmCollectors.Group("memory", r -> {
                    throw new NoClassDefFoundError("java/lang/management/ManagementFactory");
                }),
                new JvmCollectors.Group("threads", r -> {
                    throw new SecurityException("denied");
                })), new LongAdder()));
        assertEquals(List.of("[metrics-agent] JVM metrics are off, they could not be read:"
                + " NoClassDefFoundError: java/lang/management/ManagementFactory"), lines);
        assertEquals("", scrape(registry));
    }

    @Test
    void aCollectorThatThrowsLeavesOnlyItsFamilyOutOfTheScrapeAndIsCounted() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        LongAdder failures = new LongAdder();
        JvmCollectors.register(registry, List.of(
                new JvmCollectors.Group("some", r -> {
                    gauge("test_jvm_before", 1).register(r);
                    GaugeWithCallback.builder().name("test_jvm_throws").help("test")
                            .callback(callback -> {
                                throw new IllegalStateException("pool gone");
                            })
                            .register(r);
                    gauge("test_jvm_after", 3).register(r);
                })), failures);
        assertEquals("# HELP test_jvm_after test\n# TYPE test_jvm_after gauge\ntest_jvm_after 3.0\n"
                + "# HELP test_jvm_before test\n# TYPE test_jvm_before gauge\ntest_jvm_before 1.0\n", scrape(registry));
        assertEquals(1, failures.sum());
    }

    private static GaugeWithCallback.Builder gauge(String name, double value) {
        return GaugeWithCallback.builder().name(name).help("test").callback(callback -> callback.call(value));
    }
}
