package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.collectors.JvmCollectors;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class MetricFamiliesTest {

    private static FamilySpec counter(String name, String... labels) {
        FamilySpec.Builder builder = FamilySpec.counter(name, "help");
        for (String label : labels) {
            builder.label(label, LabelSource.constant("v"));
        }
        return builder.build();
    }

    private static FamilySpec histogram(String name, double... buckets) {
        return FamilySpec.histogram(name, "help", buckets, FamilySpec.Observed.DURATION_SECONDS).build();
    }

    private static FamilySpec inFlight(String name) {
        return FamilySpec.inFlight(name, "help").build();
    }

    private static String refusal(MetricFamilies families, FamilySpec... specs) {
        return assertThrows(IllegalArgumentException.class, () -> families.declareAll(List.of(specs))).getMessage();
    }

    private static String gaugeRefusal(MetricFamilies families, String name, String... labels) {
        return assertThrows(IllegalArgumentException.class, () -> families.declareGauge(name, List.of(labels))).getMessage();
    }

    private static List<String> served(MetricFamilies families) {
        List<String> names = new ArrayList<>();
        for (MetricSnapshot snapshot : families.collect()) {
            names.add(snapshot.getMetadata().getPrometheusName());
        }
        return names;
    }

    @Test
    void namesMustBePrometheusNamesOutsideTheReservedPrefixes() {
        MetricFamilies families = new MetricFamilies(false);
        assertEquals("'9lives_total' is not a valid metric name ([a-zA-Z_][a-zA-Z0-9_]*)", refusal(families, counter("9lives_total")));
        assertEquals("'a-b' is not a valid metric name ([a-zA-Z_][a-zA-Z0-9_]*)", refusal(families, histogram("a-b", 1)));
        assertEquals("'' is not a valid metric name ([a-zA-Z_][a-zA-Z0-9_]*)", gaugeRefusal(families, ""));
        assertEquals("'metrics_agent_calls_total' is taken: names starting metrics_agent_ are the agent's own",
                refusal(families, counter("metrics_agent_calls_total")));
        assertEquals("'jvm_pauses' is taken: names starting jvm_ are the JVM metrics'", gaugeRefusal(families, "jvm_pauses"));
        assertEquals("'jvm_pauses_seconds' is taken: names starting jvm_ are the JVM metrics'",
                refusal(families, histogram("jvm_pauses_seconds", 1)));
        // Only the prefix is reserved: a name merely containing it is the user's.
        assertEquals(1, families.declareAll(List.of(counter("my_jvm_total"))).size());
    }

    @Test
    void totalIsForCountersOnly() {
        MetricFamilies families = new MetricFamilies(false);
        assertEquals("counter 'orders' must end with _total", refusal(families, counter("orders")));
        assertEquals("'orders_total' ends with _total, which Prometheus keeps for counters",
                refusal(families, histogram("orders_total", 1)));
        assertEquals("'orders_total' ends with _total, which Prometheus keeps for counters",
                refusal(families, inFlight("orders_total")));
        assertEquals("'queue_total' ends with _total, which Prometheus keeps for counters", gaugeRefusal(families, "queue_total"));
    }

    @Test
    void labelNamesAreValidatedAndUnique() {
        MetricFamilies families = new MetricFamilies(false);
        assertEquals("metric 'a_total': 'le' is not a valid label name", refusal(families, counter("a_total", "le")));
        assertEquals("metric 'a_total': 'quantile' is not a valid label name", refusal(families, counter("a_total", "quantile")));
        assertEquals("metric 'a_total': '__name' is not a valid label name", refusal(families, counter("a_total", "__name")));
        assertEquals("metric 'a_total': 'x.y' is not a valid label name", refusal(families, counter("a_total", "x.y")));
        assertEquals("metric 'a_total': label 'tier' appears twice", refusal(families, counter("a_total", "tier", "tier")));
        assertEquals("metric 'g': 'le' is not a valid label name", gaugeRefusal(families, "g", "le"));
        assertEquals("metric 'g': label 'k' appears twice", gaugeRefusal(families, "g", "k", "k"));
        assertEquals(1, families.declareAll(List.of(counter("a_total", "_tier", "le2"))).size());
    }

    @Test
    void aCounterTakesItsBaseAndCreatedNames() {
        MetricFamilies families = new MetricFamilies(false);
        families.declareAll(List.of(counter("orders_total", "tier")));
        assertEquals("'orders' clashes with the metric 'orders_total' (counter {tier}) already defined",
                refusal(families, histogram("orders", 1)));
        assertEquals("'orders_created' clashes with the metric 'orders_total' (counter {tier}) already defined",
                gaugeRefusal(families, "orders_created"));
        assertEquals("'orders_total' clashes with the metric 'orders_total' (counter {tier}) already defined",
                refusal(families, counter("orders_total")));
        // A counter whose own base name another family holds cannot be declared either.
        families.declareGauge("stock", List.of());
        assertEquals("'stock_total' clashes with the metric 'stock' (gauge {}) already defined",
                refusal(families, counter("stock_total")));
    }

    @Test
    void aHistogramTakesEverySeriesNameItExposes() {
        MetricFamilies families = new MetricFamilies(false);
        families.declareAll(List.of(histogram("latency", 1, 2)));
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created", "_gcount", "_gsum"}) {
            assertEquals("'latency" + suffix + "' clashes with the metric 'latency' (histogram {}) already defined",
                    gaugeRefusal(families, "latency" + suffix));
        }
        assertEquals("'latency_count_total' clashes with the metric 'latency' (histogram {}) already defined",
                refusal(families, counter("latency_count_total")));
        // Other buckets are another shape, though the message's shape does not show them.
        assertEquals("'latency' clashes with the metric 'latency' (histogram {}) already defined",
                refusal(families, histogram("latency", 1, 5)));
        assertEquals("'latency' clashes with the metric 'latency' (histogram {}) already defined",
                refusal(families, inFlight("latency")));
        families.declareGauge("latency_max", List.of());
    }

    @Test
    void theHostAndProcessNamesAreHeldFromTheStart() {
        MetricFamilies families = new MetricFamilies(false);
        assertEquals("'memory_usage_bytes' clashes with the metric 'memory_usage_bytes' (the host sampler's gauge) already defined",
                gaugeRefusal(families, "memory_usage_bytes"));
        assertEquals("'cpu_usage_percent' clashes with the metric 'cpu_usage_percent' (the host sampler's gauge) already defined",
                refusal(families, histogram("cpu_usage_percent", 1)));
        assertEquals("'process_cpu_seconds_total' clashes with the metric 'process_cpu_seconds_total' (the JVM metrics' process family) already defined",
                refusal(families, counter("process_cpu_seconds_total")));
        assertEquals("'process_cpu_seconds' clashes with the metric 'process_cpu_seconds_total' (the JVM metrics' process family) already defined",
                refusal(families, histogram("process_cpu_seconds", 1)));
        assertEquals("'process_open_fds' clashes with the metric 'process_open_fds' (the JVM metrics' process family) already defined",
                gaugeRefusal(families, "process_open_fds"));
        assertEquals(List.of(), families.dropUnused());
        assertEquals("'process_max_fds' clashes with the metric 'process_max_fds' (the JVM metrics' process family) already defined",
                gaugeRefusal(families, "process_max_fds"));
    }

    @Test
    void theSameShapeSharesOneFamilyAndAnotherClashes() {
        MetricFamilies families = new MetricFamilies(false);
        List<Family> first = families.declareAll(List.of(counter("calls_total", "method"), histogram("calls_seconds", 0.1)));
        List<Family> second = families.declareAll(List.of(counter("calls_total", "method"), histogram("calls_seconds", 0.1)));
        assertSame(first.get(0), second.get(0));
        assertSame(first.get(1), second.get(1));
        assertEquals("'calls_total' clashes with the metric 'calls_total' (counter {method}) already defined",
                refusal(families, counter("calls_total", "method", "outcome")));
        assertEquals("'calls_seconds' clashes with the metric 'calls_seconds' (histogram {}) already defined",
                refusal(families, inFlight("calls_seconds")));
        assertEquals(List.of("calls", "calls_seconds"), served(families));
    }

    @Test
    void aMethodsFamiliesAreDeclaredAllOrNone() {
        MetricFamilies families = new MetricFamilies(false);
        assertEquals("'jvm_b_total' is taken: names starting jvm_ are the JVM metrics'",
                refusal(families, counter("a_total"), histogram("a_seconds", 1), counter("jvm_b_total")));
        assertEquals(List.of(), served(families));
        // Nothing of the refused method holds a name: "a" was the counter's.
        families.declareGauge("a", List.of());
        families.declareGauge("a_seconds_count", List.of());
    }

    @Test
    void histogramsAreClassicOrNative() {
        assertInstanceOf(ClassicHistogram.class, new MetricFamilies(false).declareAll(List.of(histogram("h", 1))).get(0));
        assertInstanceOf(NativeHistogram.class, new MetricFamilies(true).declareAll(List.of(histogram("h", 1))).get(0));
        assertInstanceOf(CounterFamily.class, new MetricFamilies(true).declareAll(List.of(counter("c_total"))).get(0));
        assertInstanceOf(InFlightFamily.class, new MetricFamilies(true).declareAll(List.of(inFlight("g"))).get(0));
    }

    @Test
    void aFamilyLeavesWhenItsLastDeclarationIsReleased() {
        MetricFamilies families = new MetricFamilies(false);
        List<Family> first = families.declareAll(List.of(counter("paid_total")));
        List<Family> second = families.declareAll(List.of(counter("paid_total")));
        families.release(first);
        assertEquals(List.of(), families.dropUnused());
        assertEquals(List.of("paid"), served(families));
        families.release(second);
        // A release more than declared is no debt for the next declaration.
        families.release(second);
        assertEquals(List.of("paid_total"), families.dropUnused());
        assertEquals(List.of(), served(families));
        assertEquals(List.of(), families.dropUnused());
        // Its names are free again, for any shape.
        families.declareGauge("paid", List.of());
        families.declareGauge("paid_created", List.of());
    }

    @Test
    void aReleasedFamilyTakesItsNewShapeBeforeItIsDropped() {
        MetricFamilies families = new MetricFamilies(false);
        List<Family> old = families.declareAll(List.of(counter("orders_total")));
        families.release(old);
        List<Family> reshaped = families.declareAll(List.of(counter("orders_total", "tier")));
        assertNotSame(old.get(0), reshaped.get(0));
        assertEquals("'orders_total' clashes with the metric 'orders_total' (counter {tier}) already defined",
                refusal(families, counter("orders_total")));
        // The old family's release no longer counts against the new one.
        families.release(old);
        assertEquals(List.of(), families.dropUnused());
        assertEquals(List.of("orders"), served(families));
    }

    @Test
    void aReleasedFamilyOfTheSameShapeIsTakenBackAsItIs() {
        MetricFamilies families = new MetricFamilies(false);
        List<Family> old = families.declareAll(List.of(histogram("wait_seconds", 1)));
        families.release(old);
        assertSame(old.get(0), families.declareAll(List.of(histogram("wait_seconds", 1))).get(0));
        assertEquals(List.of(), families.dropUnused());
    }

    @Test
    void gaugesOfOneNameAreSharedByLabelNamesAndLeaveWithTheirLastUser() {
        MetricFamilies families = new MetricFamilies(false);
        families.declareGauge("pool_size", List.of("pool"));
        families.declareGauge("pool_size", List.of("pool"));
        assertEquals("'pool_size' clashes with the metric 'pool_size' (gauge {pool}) already defined",
                gaugeRefusal(families, "pool_size", "pool", "kind"));
        assertEquals("'pool_size' clashes with the metric 'pool_size' (gauge {pool}) already defined",
                refusal(families, inFlight("pool_size")));
        families.releaseGauges(List.of("pool_size"));
        assertEquals(List.of(), families.dropUnused());
        families.releaseGauges(List.of("pool_size"));
        // Released, it is declared with other labels as a new gauge.
        families.declareGauge("pool_size", List.of("pool", "kind"));
        assertEquals(List.of(), families.dropUnused());
        families.releaseGauges(List.of("pool_size", "never_declared"));
        assertEquals(List.of("pool_size"), families.dropUnused());
        // Releasing a gauge does not release a family of the name, nor the other way round.
        List<Family> inFlight = families.declareAll(List.of(inFlight("busy")));
        families.releaseGauges(List.of("busy"));
        assertEquals(List.of(), families.dropUnused());
        families.release(inFlight);
        assertEquals(List.of("busy"), families.dropUnused());
        assertEquals("'memory_usage_bytes' clashes with the metric 'memory_usage_bytes' (the host sampler's gauge) already defined",
                gaugeRefusal(families, "memory_usage_bytes"));
    }

    @Test
    void aFamilyWhoseSnapshotFailsIsLeftOutOfTheScrapeAndCounted() {
        MetricFamilies families = new MetricFamilies(false);
        // The client's model refuses a NaN bucket bound when the snapshot is built, not before.
        List<Family> declared = families.declareAll(List.of(counter("before_total"), histogram("broken", Double.NaN),
                counter("after_total")));
        declared.get(1).series().record(CellWriter.current(), 1, 0);
        assertEquals(List.of("after", "before"), served(families));
        assertEquals(1, families.failures());
    }

    @Test
    void everyNameTheJvmMetricsTakeIsRefusedToMeteredMethodsAndGauges() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmCollectors.register(registry, new LongAdder());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        // The names on the sample lines, and those of the families in the TYPE lines.
        Set<String> names = new TreeSet<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String name = line.split(" ")[2];
                names.add(name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name);
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                names.add(line.split("[{ ]")[0]);
            }
        }
        MetricFamilies families = new MetricFamilies(false);
        for (String name : names) {
            if (name.endsWith("_total")) {
                assertThrows(IllegalArgumentException.class,
                        () -> families.declareAll(List.of(FamilySpec.counter(name, "h").build())), name);
            } else {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> families.declareGauge(name, List.of()), name);
                assertTrue(refused.getMessage().startsWith("'" + name + "' is taken: names starting jvm_ are the JVM metrics'")
                        || refused.getMessage().contains("(the JVM metrics' process family)"), refused.getMessage());
            }
        }
        assertEquals("'process_cpu_seconds_total' clashes with the metric 'process_cpu_seconds_total'"
                        + " (the JVM metrics' process family) already defined",
                assertThrows(IllegalArgumentException.class, () -> families.declareAll(
                        List.of(FamilySpec.counter("process_cpu_seconds_total", "h").build()))).getMessage());
        // Nothing gives them up: still taken after the unused are dropped.
        families.dropUnused();
        assertThrows(IllegalArgumentException.class, () -> families.declareGauge("process_open_fds", List.of("x")));
        // Only those: a business name that starts as theirs is free.
        families.declareGauge("process_orders_queued", List.of());
        families.declareAll(List.of(FamilySpec.counter("process_orders_total", "h").build()));
    }
}
