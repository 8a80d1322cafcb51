package io.metricsagent.agent.collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class HostSamplerTest {

    /** Returns one prepared reading per sample, in order. */
    private static final class FakeProbe implements HostSampler.Probe {
        private final Deque<long[][]> ticks = new ArrayDeque<>();
        private final Deque<long[]> memory = new ArrayDeque<>(); // {total, available}
        private long[] currentMemory;

        FakeProbe reading(long total, long available, long[][] cpuTicks) {
            memory.add(new long[] {total, available});
            ticks.add(cpuTicks);
            return this;
        }

        @Override
        public long[][] cpuTicks() {
            return ticks.remove();
        }

        @Override
        public long memoryTotal() {
            currentMemory = memory.remove();
            return currentMemory[0];
        }

        @Override
        public long memoryAvailable() {
            return currentMemory[1];
        }
    }

    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8.name());
    }

    // ticks: user, nice, system, idle, iowait, irq, softirq, steal
    private static final long[][] FIRST_TICKS = {
        {1000, 10, 500, 8000, 200, 5, 5, 0},
        {2000, 0, 1000, 6000, 100, 0, 0, 0},
        {50, 50, 50, 50, 50, 50, 50, 50},
        {0, 0, 0, 0, 0, 0, 0, 0},
    };

    private static final long[][] SECOND_TICKS = {
        // deltas 100, 0, 50, 200, 50, 0, 0, 0: total 400, idle+iowait 250, busy 150 -> 37.5%
        {1100, 10, 550, 8200, 250, 5, 5, 0},
        // deltas 10, 10, 10, 60, 0, 5, 3, 2: total 100, idle+iowait 60, busy 40 -> 40%
        {2010, 10, 1010, 6060, 100, 5, 3, 2},
        // no delta at all -> 0
        {50, 50, 50, 50, 50, 50, 50, 50},
        // deltas 30, 0, 10, 0, 0, 0, 0, 0: all busy -> 100%
        {30, 0, 10, 0, 0, 0, 0, 0},
    };

    @Test
    void twoSamplesPublishMemoryAndPerCoreCpuFromTickDeltas() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        FakeProbe probe = new FakeProbe()
                .reading(16_000, 6_000, FIRST_TICKS)
                .reading(8_589_934_592L, 2_147_483_648L, SECOND_TICKS);
        HostSampler sampler = new HostSampler(probe, registry);

        sampler.sample();
        sampler.sample();

        assertEquals(""
                + "# HELP cpu_usage_percent CPU usage percentage\n"
                + "# TYPE cpu_usage_percent gauge\n"
                + "cpu_usage_percent{core=\"cpu0\"} 37.5\n"
                + "cpu_usage_percent{core=\"cpu1\"} 40.0\n"
                + "cpu_usage_percent{core=\"cpu2\"} 0.0\n"
                + "cpu_usage_percent{core=\"cpu3\"} 100.0\n"
                + "# HELP memory_usage_bytes Memory usage in bytes\n"
                + "# TYPE memory_usage_bytes gauge\n"
                + "memory_usage_bytes{type=\"available\"} 2.147483648E9\n"
                + "memory_usage_bytes{type=\"total\"} 8.589934592E9\n"
                + "memory_usage_bytes{type=\"used\"} 6.442450944E9\n",
                scrape(registry));
    }

    @Test
    void firstSamplePublishesMemoryButNoCpu() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        HostSampler sampler = new HostSampler(new FakeProbe().reading(16_000, 6_000, FIRST_TICKS), registry);

        sampler.sample();

        assertEquals(""
                + "# HELP memory_usage_bytes Memory usage in bytes\n"
                + "# TYPE memory_usage_bytes gauge\n"
                + "memory_usage_bytes{type=\"available\"} 6000.0\n"
                + "memory_usage_bytes{type=\"total\"} 16000.0\n"
                + "memory_usage_bytes{type=\"used\"} 10000.0\n",
                scrape(registry));
    }

    @Test
    void identicalTicksGiveZeroPercent() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        long[][] ticks = {{7, 0, 3, 90, 0, 0, 0, 0}};
        long[][] same = {{7, 0, 3, 90, 0, 0, 0, 0}};
        HostSampler sampler = new HostSampler(
                new FakeProbe().reading(100, 40, ticks).reading(100, 40, same), registry);

        sampler.sample();
        sampler.sample();

        assertEquals(""
                + "# HELP cpu_usage_percent CPU usage percentage\n"
                + "# TYPE cpu_usage_percent gauge\n"
                + "cpu_usage_percent{core=\"cpu0\"} 0.0\n"
                + "# HELP memory_usage_bytes Memory usage in bytes\n"
                + "# TYPE memory_usage_bytes gauge\n"
                + "memory_usage_bytes{type=\"available\"} 40.0\n"
                + "memory_usage_bytes{type=\"total\"} 100.0\n"
                + "memory_usage_bytes{type=\"used\"} 60.0\n",
                scrape(registry));
    }

    @Test
    void thirdSampleUsesDeltaFromSecondNotFirst() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        HostSampler sampler = new HostSampler(new FakeProbe()
                .reading(100, 40, new long[][] {{0, 0, 0, 0, 0, 0, 0, 0}})
                // delta from first: 50 busy, 50 idle -> 50%
                .reading(100, 40, new long[][] {{50, 0, 0, 50, 0, 0, 0, 0}})
                // delta from second: 10 busy, 30 idle -> 25% (from the first it would be 37.5%)
                .reading(100, 30, new long[][] {{60, 0, 0, 80, 0, 0, 0, 0}}), registry);

        sampler.sample();
        sampler.sample();
        sampler.sample();

        assertEquals(""
                + "# HELP cpu_usage_percent CPU usage percentage\n"
                + "# TYPE cpu_usage_percent gauge\n"
                + "cpu_usage_percent{core=\"cpu0\"} 25.0\n"
                + "# HELP memory_usage_bytes Memory usage in bytes\n"
                + "# TYPE memory_usage_bytes gauge\n"
                + "memory_usage_bytes{type=\"available\"} 30.0\n"
                + "memory_usage_bytes{type=\"total\"} 100.0\n"
                + "memory_usage_bytes{type=\"used\"} 70.0\n",
                scrape(registry));
    }

    @Test
    void busyPercentCountsIdleAndIowaitAsNotBusy() {
        long[] before = {0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(37.5, HostSampler.busyPercent(before, new long[] {100, 0, 50, 200, 50, 0, 0, 0}), 0.0);
        assertEquals(50.0, HostSampler.busyPercent(before, new long[] {0, 1, 1, 2, 2, 1, 1, 0}), 0.0);
        assertEquals(0.0, HostSampler.busyPercent(before, new long[] {0, 0, 0, 70, 30, 0, 0, 0}), 0.0);
        assertEquals(0.0, HostSampler.busyPercent(before, before.clone()), 0.0);
    }

    @Test
    void busyPercentStaysWithinZeroAndHundredWhenCountersGoBackwards() {
        long[] before = {100, 0, 0, 100, 0, 0, 0, 0};
        assertEquals(0.0, HostSampler.busyPercent(before, new long[] {50, 0, 0, 200, 0, 0, 0, 0}), 0.0);
        assertEquals(100.0, HostSampler.busyPercent(before, new long[] {300, 0, 0, 50, 0, 0, 0, 0}), 0.0);
    }
}
