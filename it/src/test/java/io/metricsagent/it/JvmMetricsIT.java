package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JVM's own metrics on the sample under the agent, on each JDK, against what the JVM and
 * /proc say of the same process: the heap sizes it was started with, its runtime, its file limit,
 * a garbage collection asked of it; and none of them with {@code jvm_metrics=false}.
 */
class JvmMetricsIT {

    private static final long MIB = 1024 * 1024;
    private static final Pattern PROPERTY = Pattern.compile("^\\s+(\\S+) = (.*)$");
    private static final Set<String> HEAP_POOLS = Set.of("G1 Eden Space", "G1 Old Gen", "G1 Survivor Space");

    @OnEveryJdk
    void jvmMetricsAgreeWithTheJvmAndProc(String jdk, Path java) throws Exception {
        double launchedAt = System.currentTimeMillis() / 1000.0;
        try (JvmProcess app = sample(java)) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            Exposition m = Exposition.await(port, e -> e.has("memory_usage_bytes"));
            assertEquals(0, m.counter("metrics_agent_internal_errors_total", "component=jvm_metrics"));
            assertEquals(20, m.counter("payment_requests_total"));

            assertMemory(m);
            assertThreads(port, app.pid());
            assertClasses(port);
            assertRuntime(m, java);
            assertProcess(port, app.pid(), launchedAt);
            assertBufferPools(m);
            assertTrue(m.counter("jvm_compilation_time_seconds_total") > 0);
            assertGarbageCollection(port, app.pid(), java);
        }
    }

    @OnEveryJdk
    void noneWithJvmMetricsOff(String jdk, Path java) throws Exception {
        try (JvmProcess app = sample(java, "jvm_metrics=false")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary requests=20 ");
            // The host sampler starts after the JVM metrics would have been registered.
            Exposition m = Exposition.await(port, e -> e.has("memory_usage_bytes"));
            Set<String> jvm = m.names().stream()
                    .filter(name -> name.startsWith("jvm_") || name.startsWith("process_"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), jvm);
            assertEquals(20, m.counter("payment_requests_total"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }

    private static JvmProcess sample(Path java, String... agentOptions) throws IOException {
        return AgentJvm.on(java).flags("-Xms64m", "-Xmx256m", "-XX:+UseG1GC")
                .agent("port=0", "host=127.0.0.1", "interval=1").agent(agentOptions)
                .jar(Artifacts.sampleJar())
                .args("--requests", "20", "--speed", "0", "--seed", "3").start();
    }

    /** Heap sizes as given on the command line; pools of G1; used within committed within max. */
    private static void assertMemory(Exposition m) {
        assertEquals(256 * MIB, m.gauge("jvm_memory_max_bytes", "area=heap"));
        assertEquals(64 * MIB, m.gauge("jvm_memory_init_bytes", "area=heap"));
        double used = m.gauge("jvm_memory_used_bytes", "area=heap");
        double committed = m.gauge("jvm_memory_committed_bytes", "area=heap");
        assertTrue(used > 0 && used <= committed && committed <= 256 * MIB, used + " used, " + committed + " committed");
        assertTrue(m.gauge("jvm_memory_used_bytes", "area=nonheap") > 0);
        Set<String> pools = labelValues(m, "jvm_memory_pool_used_bytes", "pool");
        assertTrue(pools.containsAll(HEAP_POOLS) && pools.contains("Metaspace"), pools::toString);
        assertEquals(256 * MIB, m.gauge("jvm_memory_pool_max_bytes", "pool=G1 Old Gen"));
        assertTrue(m.gauge("jvm_memory_pool_used_bytes", "pool=Metaspace") > 0);
        assertEquals(0, m.gauge("jvm_memory_objects_pending_finalization"));
    }

    /** Counts that hold together; the states of an idle JVM's threads add up to its thread count. */
    private static void assertThreads(int port, long pid) throws Exception {
        Exposition m = Exposition.await(port, e -> e.gauge("jvm_threads_state") == e.gauge("jvm_threads_current"));
        double current = m.gauge("jvm_threads_current");
        assertTrue(current >= 2, "jvm_threads_current " + current);
        assertTrue(m.gauge("jvm_threads_daemon") < current, "the JVM runs, so a thread of it is not a daemon");
        assertTrue(m.gauge("jvm_threads_peak") >= current);
        assertTrue(m.counter("jvm_threads_started_total") >= m.gauge("jvm_threads_peak"));
        assertTrue(m.gauge("jvm_threads_state", "state=RUNNABLE") >= 1);
        assertEquals(0, m.gauge("jvm_threads_deadlocked"));
        assertEquals(0, m.gauge("jvm_threads_deadlocked_monitor"));
        // /proc counts the JVM's own threads too (GC workers, compilers).
        long nativeThreads = Long.parseLong(procStatus(pid).get("Threads"));
        assertTrue(current <= nativeThreads, current + " Java threads, " + nativeThreads + " native ones");
    }

    private static void assertClasses(int port) throws Exception {
        Exposition m = Exposition.await(port, e -> e.counter("jvm_classes_loaded_total") - e.counter("jvm_classes_unloaded_total")
                == e.gauge("jvm_classes_currently_loaded"));
        assertTrue(m.gauge("jvm_classes_currently_loaded") > 1000, "the sample, the agent and the JDK's own");
    }

    /** The info series names the very runtime, vendor and version the JDK reports of itself. */
    private static void assertRuntime(Exposition m, Path java) throws Exception {
        Map<String, String> properties = properties(java);
        List<Metric> info = m.family("jvm_runtime_info").getMetricList();
        assertEquals(1, info.size());
        assertEquals(Map.of("runtime", properties.get("java.runtime.name"), "vendor", properties.get("java.vm.vendor"),
                "version", properties.get("java.runtime.version")), Exposition.labels(info.get(0)));
        assertEquals(1, info.get(0).getGauge().getValue());
    }

    /** Start time, CPU, memory and descriptors, each between two readings of /proc around a scrape. */
    private static void assertProcess(int port, long pid, double launchedAt) throws Exception {
        double cpuBefore = procCpuSeconds(pid);
        long rssBefore = procKib(pid, "VmRSS");
        long vmBefore = procKib(pid, "VmSize");
        double scrapedAt = System.currentTimeMillis() / 1000.0;
        Exposition m = Exposition.scrape(port);
        double cpuAfter = procCpuSeconds(pid);
        long rssAfter = procKib(pid, "VmRSS");
        long vmAfter = procKib(pid, "VmSize");

        double started = m.gauge("process_start_time_seconds");
        assertTrue(started >= launchedAt - 1 && started <= scrapedAt, started + " not between launch " + launchedAt
                + " and scrape " + scrapedAt);
        double cpu = m.counter("process_cpu_seconds_total");
        // /proc counts in clock ticks (10 ms).
        assertTrue(cpu >= cpuBefore - 0.02 && cpu <= cpuAfter + 0.02, cpu + " s not within " + cpuBefore + ".." + cpuAfter);
        assertWithin(m.gauge("process_resident_memory_bytes"), rssBefore, rssAfter, "VmRSS");
        assertWithin(m.gauge("process_virtual_memory_bytes"), vmBefore, vmAfter, "VmSize");
        assertEquals(maxOpenFiles(pid), m.gauge("process_max_fds"));
        long open;
        try (Stream<Path> fds = Files.list(Paths.get("/proc/" + pid + "/fd"))) {
            open = fds.count();
        }
        // The scrape's own connection, and the directory the JVM lists to count them.
        double scrapedOpen = m.gauge("process_open_fds");
        assertTrue(Math.abs(scrapedOpen - open) <= 2, scrapedOpen + " open descriptors scraped, " + open + " in /proc");
    }

    private static void assertBufferPools(Exposition m) {
        assertTrue(labelValues(m, "jvm_buffer_pool_used_bytes", "pool").containsAll(Set.of("direct", "mapped")));
        for (String family : List.of("jvm_buffer_pool_used_bytes", "jvm_buffer_pool_capacity_bytes", "jvm_buffer_pool_used_buffers")) {
            for (Metric series : m.family(family).getMetricList()) {
                assertTrue(series.getGauge().getValue() >= 0, family + " " + Exposition.labels(series));
            }
        }
    }

    /** A full collection asked of the JVM (jcmd GC.run) is one more of G1's old generation, exactly. */
    private static void assertGarbageCollection(int port, long pid, Path java) throws Exception {
        Exposition before = Exposition.scrape(port);
        assertEquals(MetricType.SUMMARY, before.family("jvm_gc_collection_seconds").getType());
        Set<String> collectors = labelValues(before, "jvm_gc_collection_seconds", "gc");
        assertTrue(collectors.containsAll(Set.of("G1 Young Generation", "G1 Old Generation")), collectors::toString);
        long fullBefore = gcCount(before, "G1 Old Generation");
        Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), String.valueOf(pid), "GC.run")
                .redirectErrorStream(true).start();
        String said = new String(jcmd.getInputStream().readAllBytes());
        assertTrue(jcmd.waitFor(JvmProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS) && jcmd.exitValue() == 0, said);
        Exposition after = Exposition.scrape(port);
        assertEquals(fullBefore + 1, gcCount(after, "G1 Old Generation"));
        assertTrue(gcSeconds(after, "G1 Old Generation") > gcSeconds(before, "G1 Old Generation"));
    }

    private static long gcCount(Exposition m, String collector) {
        return m.series("jvm_gc_collection_seconds", "gc=" + collector).get(0).getSummary().getSampleCount();
    }

    private static double gcSeconds(Exposition m, String collector) {
        return m.series("jvm_gc_collection_seconds", "gc=" + collector).get(0).getSummary().getSampleSum();
    }

    private static Set<String> labelValues(Exposition m, String family, String label) {
        return m.family(family).getMetricList().stream()
                .map(series -> Exposition.labels(series).get(label))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertWithin(double scrapedBytes, long beforeKib, long afterKib, String what) {
        // The JVM reads its own /proc/self/status between the two readings; a page or two may come and go.
        double low = Math.min(beforeKib, afterKib) * 1024 * 0.95;
        double high = Math.max(beforeKib, afterKib) * 1024 * 1.05;
        assertTrue(scrapedBytes >= low && scrapedBytes <= high,
                what + ": " + scrapedBytes + " scraped, " + beforeKib + " and " + afterKib + " KiB in /proc");
    }

    private static Map<String, String> procStatus(long pid) throws IOException {
        Map<String, String> fields = new HashMap<>();
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            int colon = line.indexOf(':');
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return fields;
    }

    private static long procKib(long pid, String field) throws IOException {
        return Long.parseLong(procStatus(pid).get(field).split("\\s+")[0]);
    }

    /** utime + stime of /proc/pid/stat, in seconds (clock ticks of 1/100 s, as on every Linux this runs on). */
    private static double procCpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of stat(5), counted from the state, which is field 3.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static double maxOpenFiles(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return Double.parseDouble(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no Max open files in /proc/" + pid + "/limits");
    }

    /** The system properties the JDK reports of itself. */
    private static Map<String, String> properties(Path java) throws Exception {
        Process process = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().collect(Collectors.toList());
        assertTrue(process.waitFor(JvmProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        Map<String, String> properties = new HashMap<>();
        for (String line : lines) {
            Matcher matcher = PROPERTY.matcher(line);
            if (matcher.find()) {
                properties.put(matcher.group(1), matcher.group(2));
            }
        }
        return properties;
    }
}
