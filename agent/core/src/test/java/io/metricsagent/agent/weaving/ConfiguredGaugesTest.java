package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.classBytes;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.testfixtures.LegacyCounters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration file's gauges: a class with no annotation, read as {@code @MeteredGauge} would be. */
class ConfiguredGaugesTest {

    private static final String NAME = LegacyCounters.class.getName();
    private static final String INTERNAL_NAME = NAME.replace('.', '/');

    private final Weaving weaving = WeavingSupport.newWeaving();

    private static GaugeRule gauge(int line, String method, String name, Map<String, String> labels) {
        return new GaugeRule("t.yml line " + line, NAME, method, name, line == 1 ? "Queued" : null, labels);
    }

    @Test
    void staticAndInstanceMethodsAreReadAndMethodsThatCannotBeAreOneLineEach() throws Exception {
        weaving.gauges.use(List.of(
                gauge(1, "queued", "test_cfg_queued", Map.of("k", "v")),
                gauge(2, "started", "test_cfg_started", Map.of()),
                gauge(3, "boxed", "test_cfg_boxed", Map.of()),
                gauge(4, "nope", "test_cfg_nope", Map.of()),
                gauge(5, "charge", "test_cfg_charge", Map.of()),
                gauge(6, "region", "test_cfg_region", Map.of()),
                gauge(7, "reset", "test_cfg_reset", Map.of()),
                gauge(8, "boxed", "test_cfg_queued", Map.of("k", "other", "extra", "x")),
                gauge(9, "queued", "test_cfg_queued", Map.of("k", "v")),
                gauge(10, "queued", "test_cfg_queued_total", Map.of()),
                gauge(11, "queued", "test_cfg_le", Map.of("le", "1")),
                gauge(12, "queued", "test_cfg_by_region", Map.of("region", "this.region")),
                gauge(13, "started", "test_cfg_static_region", Map.of("region", "this.region"))));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        Class<?> woven;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            woven = WeavingSupport.weaveAndDefine(weaving, NAME);
        } finally {
            System.setErr(original);
        }
        String prefix = "[metrics-agent] the gauge at t.yml line ";
        assertEquals(List.of(
                prefix + "4 does not read " + NAME + ".nope(): " + NAME + " declares no method nope",
                prefix + "5 does not read " + NAME + ".charge(): it takes arguments; a gauge reads a method without any",
                prefix + "6 does not read " + NAME + ".region(): it returns java.lang.String, not a number",
                prefix + "7 does not read " + NAME + ".reset(): it returns void, not a number",
                prefix + "8 does not read " + NAME + ".boxed(): 'test_cfg_queued' clashes with the metric"
                        + " 'test_cfg_queued' (gauge {k}) already defined",
                prefix + "9 does not read " + NAME + ".queued(): it is read as 'test_cfg_queued' already",
                prefix + "10 does not read " + NAME + ".queued(): 'test_cfg_queued_total' ends with _total, which"
                        + " Prometheus keeps for counters",
                prefix + "11 does not read " + NAME + ".queued(): metric 'test_cfg_le': 'le' is not a valid label name",
                prefix + "13 does not read " + NAME + ".started(): label 'region' reads the instance (this.region), and"
                        + " started() is static"),
                lines(err));

        Object three = woven.getDeclaredConstructor(int.class).newInstance(3);
        Object four = woven.getDeclaredConstructor(int.class).newInstance(4);
        assertEquals(""
                + "# HELP test_cfg_queued Queued\n"
                + "# TYPE test_cfg_queued gauge\n"
                + "test_cfg_queued{k=\"v\"} 7.0",
                scrapeLines(weaving, "test_cfg_queued"));
        assertEquals(""
                + "# HELP test_cfg_started Value of " + NAME + ".started()\n"
                + "# TYPE test_cfg_started gauge\n"
                + "test_cfg_started 2.0",
                scrapeLines(weaving, "test_cfg_started"));
        assertEquals("test_cfg_boxed 70.0", scrapeLines(weaving, "test_cfg_boxed", "70"));
        assertEquals("test_cfg_by_region{region=\"eu\"} 7.0", scrapeLines(weaving, "test_cfg_by_region{"));
        assertEquals("", scrapeLines(weaving, "test_cfg_nope"));
        assertEquals("", scrapeLines(weaving, "test_cfg_region"));
        Reference.reachabilityFence(three);
        Reference.reachabilityFence(four);
    }

    @Test
    void aValueOfEachInstanceIsReadAsAGaugeAndOneThatDoesNotResolveIsOneLine() throws Exception {
        weaving.gauges.use(List.of(
                new GaugeRule("t.yml line 1", NAME, null, "this.queued", "test_cfg_value", null,
                        Map.of("region", "this.region")),
                new GaugeRule("t.yml line 2", NAME, null, "this.region.length", "test_cfg_value_length", "Length",
                        Map.of()),
                new GaugeRule("t.yml line 3", NAME, null, "this.nope", "test_cfg_value_nope", null, Map.of())));
        Class<?> woven = WeavingSupport.weaveAndDefine(weaving, NAME);
        Object three = woven.getDeclaredConstructor(int.class).newInstance(3);
        Object four = woven.getDeclaredConstructor(int.class).newInstance(4);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        String values;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            values = scrapeLines(weaving, "test_cfg_value");
        } finally {
            System.setErr(original);
        }
        assertEquals(""
                + "# HELP test_cfg_value Value of " + NAME + " this.queued\n"
                + "# TYPE test_cfg_value gauge\n"
                + "test_cfg_value{region=\"eu\"} 7.0\n"
                + "# HELP test_cfg_value_length Length\n"
                + "# TYPE test_cfg_value_length gauge\n"
                + "test_cfg_value_length 4.0", values);
        assertEquals(List.of("[metrics-agent] gauge test_cfg_value_nope: value this.nope is not read on " + NAME
                + ": no getter or field 'nope' on " + NAME), lines(err));
        Reference.reachabilityFence(three);
        Reference.reachabilityFence(four);
    }

    @Test
    void aClassWovenAgainHasTheGaugesInForceThenOnly() {
        ClassLoader loader = getClass().getClassLoader();
        weaving.gauges.use(List.of(gauge(1, "started", "test_cfg_rewoven", Map.of())));
        // A static gauge alone needs no code changed: the class is read, not rewritten.
        assertNull(ClassWeaver.weave(weaving, loader, NAME, classBytes(NAME)));
        assertNull(ClassWeaver.weave(weaving, loader, NAME, classBytes(NAME)));
        assertEquals("test_cfg_rewoven 2.0", scrapeLines(weaving, "test_cfg_rewoven", "2.0"));

        // Another configuration (a reload): the class woven again reads what it says now, and only that.
        weaving.gauges.use(List.of(gauge(2, "started", "test_cfg_rewoven_again", Map.of("again", "yes"))));
        ClassWeaver.weave(weaving, loader, NAME, classBytes(NAME));
        assertEquals("test_cfg_rewoven_again{again=\"yes\"} 2.0", scrapeLines(weaving, "test_cfg_rewoven", "2.0"));

        weaving.gauges.use(List.of());
        ClassWeaver.weave(weaving, loader, NAME, classBytes(NAME));
        assertEquals("", scrapeLines(weaving, "test_cfg_rewoven"));
    }

    @Test
    void theTransformerLetsAClassNamedByAGaugeThroughOnItsName() {
        MeteredClassTransformer transformer = new MeteredClassTransformer(weaving);
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
        byte[] plain = classBytes(NAME);
        assertFalse(WeavingSupport.mentionsAnnotation(plain));
        assertNull(transformer.transform(loader, INTERNAL_NAME, null, null, plain));
        assertFalse(LoadedClasses.toWeave(weaving).selects(loader, INTERNAL_NAME, plain));

        weaving.gauges.use(List.of(gauge(1, "queued", "test_cfg_filtered", Map.of())));
        assertTrue(weaving.gauges.mayRead(INTERNAL_NAME));
        assertFalse(weaving.gauges.mayRead(INTERNAL_NAME + "X"));
        assertTrue(LoadedClasses.toWeave(weaving).selects(new ClassLoader(loader) {}, INTERNAL_NAME, plain));
        assertNotNull(transformer.transform(loader, INTERNAL_NAME, null, null, plain));
    }

    @Test
    void aClassRetransformedAfterItsGaugesLeftTheConfigurationIsReadNoMore() {
        MeteredClassTransformer transformer = new MeteredClassTransformer(weaving);
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
        weaving.gauges.use(List.of(gauge(2, "started", "test_cfg_forgotten", Map.of())));
        assertNull(transformer.transform(loader, INTERNAL_NAME, null, null, classBytes(NAME)));
        assertEquals("test_cfg_forgotten 2.0", scrapeLines(weaving, "test_cfg_forgotten", "2.0"));

        weaving.gauges.use(List.of());
        assertNull(transformer.transform(loader, INTERNAL_NAME, LegacyCounters.class, null, classBytes(NAME)));
        assertEquals("", scrapeLines(weaving, "test_cfg_forgotten"));
    }

    private static List<String> lines(ByteArrayOutputStream err) {
        List<String> lines = new ArrayList<>();
        for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
