package io.metricsagent.agent.collectors;

import io.metricsagent.agent.report.AgentLog;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Samples the host every {@code interval} seconds on a daemon thread of its own:
 *
 * <pre>
 * memory_usage_bytes{type="used"}       total - available
 * memory_usage_bytes{type="available"}
 * memory_usage_bytes{type="total"}
 * cpu_usage_percent{core="cpu0"}        busy share of the ticks since the previous sample, 0-100
 * </pre>
 *
 * CPU usage is a difference of tick counters between two samples, so it appears from the second
 * sample on; nothing ever sleeps to measure it, least of all a scrape.
 */
public final class HostSampler {

    /** How long after {@link #start} OSHI is set up and the first sample taken. */
    static final long SETUP_DELAY_MILLIS = 1000;

    /** What the sampler reads from the host; a seam for tests. */
    interface Probe {
        /** Per logical processor, OSHI's tick counters (user, nice, system, idle, iowait, irq, softirq, steal). */
        long[][] cpuTicks();

        long memoryTotal();

        long memoryAvailable();
    }

    private static final int IDLE = 3;
    private static final int IOWAIT = 4;

    private final Probe probe;
    private final Gauge memory;
    private final Gauge cpu;
    private long[][] previousTicks;

    HostSampler(Probe probe, PrometheusRegistry registry) {
        this.probe = probe;
        memory = Gauge.builder()
                .name("memory_usage_bytes")
                .help("Memory usage in bytes")
                .labelNames("type")
                .withoutExemplars()
                .register(registry);
        cpu = Gauge.builder()
                .name("cpu_usage_percent")
                .help("CPU usage percentage")
                .labelNames("core")
                .withoutExemplars()
                .register(registry);
    }

    /**
     * Starts sampling on a daemon thread; OSHI is set up on that thread too. A host that cannot be
     * read is reported once, and the host gauges are left out.
     *
     * @param failures counts the times the host could not be read
     */
    public static void start(PrometheusRegistry registry, int intervalSeconds, LongAdder failures) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metrics-sampler");
            thread.setDaemon(true);
            return thread;
        });
        // OSHI's set-up loads a hundred classes and runs getconf: a second after start it no
        // longer competes with the application's own start, and a job that is over by then
        // never pays for it.
        scheduler.schedule(() -> {
            HostSampler sampler;
            try {
                sampler = new HostSampler(new OshiProbe(), registry);
                sampler.sample();
            } catch (Throwable t) {
                failures.increment();
                AgentLog.warn("host metrics are off, the host could not be read", t);
                scheduler.shutdown();
                return;
            }
            scheduler.scheduleAtFixedRate(() -> sampler.sampleSafely(scheduler, failures),
                    intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        }, SETUP_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sampleSafely(ScheduledExecutorService scheduler, LongAdder failures) {
        try {
            sample();
        } catch (Throwable t) {
            failures.increment();
            AgentLog.warn("host metrics stopped, the host could no longer be read", t);
            memory.clear();
            cpu.clear();
            scheduler.shutdown();
        }
    }

    /** Takes one sample and publishes it. */
    void sample() {
        long total = probe.memoryTotal();
        long available = probe.memoryAvailable();
        if (total <= 0) {
            throw new IllegalStateException("the host's memory reads as " + total + " bytes");
        }
        memory.labelValues("used").set(total - available);
        memory.labelValues("available").set(available);
        memory.labelValues("total").set(total);

        long[][] ticks = probe.cpuTicks();
        if (previousTicks != null && previousTicks.length == ticks.length) {
            for (int core = 0; core < ticks.length; core++) {
                cpu.labelValues("cpu" + core).set(busyPercent(previousTicks[core], ticks[core]));
            }
        }
        previousTicks = ticks;
    }

    static double busyPercent(long[] before, long[] after) {
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            total += after[i] - before[i];
        }
        if (total <= 0) {
            return 0;
        }
        long idle = (after[IDLE] - before[IDLE]) + (after[IOWAIT] - before[IOWAIT]);
        // Counters that went backwards (a core taken offline and back) must not leave 0..100.
        return Math.max(0, Math.min(100, 100.0 * (total - idle) / total));
    }
}
