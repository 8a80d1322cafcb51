package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.Preset;
import io.metricsagent.testfixtures.LegacyCounters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A preset is read when a class that triggers it first loads, once, and its gauges yield to the
 * file's of the same name; a class declaring a method of the parameters it names triggers it too.
 */
class PendingPresetsTest {

    private static final String NAME = LegacyCounters.class.getName();
    private static final String INTERNAL_NAME = NAME.replace('.', '/');

    @RegisterExtension
    final Stderr stderr = new Stderr();

    private final Weaving weaving = WeavingSupport.newWeaving();

    private static GaugeRule gauge(String where, String name) {
        return new GaugeRule(where, NAME, "queued", name, null, Map.of());
    }

    /** A preset of the fixture's class, counting its reads. */
    private static final class Counted extends Preset {
        int reads;
        final RuntimeException problem;

        Counted(RuntimeException problem) {
            this(problem, List.of());
        }

        Counted(RuntimeException problem, List<String> descriptors) {
            super("counted", List.of(NAME), descriptors);
            this.problem = problem;
        }

        @Override
        public Contents read() {
            reads++;
            if (problem != null) {
                throw problem;
            }
            return new Contents(List.of(), List.of(gauge("preset:counted.yml line 2", "test_preset_queued"),
                    gauge("preset:counted.yml line 3", "test_file_queued")));
        }
    }

    @Test
    void readOnceWhenAClassItSelectsLoadsItsGaugesAfterTheFilesAndYieldingToThem() throws Exception {
        Counted preset = new Counted(null);
        GaugeRule fileGauge = gauge("t.yml line 1", "test_file_queued");
        weaving.use(List.of(), List.of(fileGauge), List.of(preset));
        assertTrue(weaving.presets.selects(INTERNAL_NAME));
        assertFalse(weaving.presets.selects("java/lang/String"));

        weaving.putInForcePresetOf("java/lang/String");
        assertEquals(0, preset.reads, "read for a class it does not select");
        assertEquals(List.of(fileGauge), weaving.gauges.inForce());

        weaving.putInForcePresetOf(INTERNAL_NAME);
        weaving.putInForcePresetOf(INTERNAL_NAME);
        assertEquals(1, preset.reads);
        assertFalse(weaving.presets.selects(INTERNAL_NAME));
        assertEquals(List.of(fileGauge, gauge("preset:counted.yml line 2", "test_preset_queued")),
                weaving.gauges.inForce());
        assertEquals("", stderr.text());
    }

    /**
     * A class whose pool holds a descriptor a pending preset names puts it in force as the
     * transformer walks the pool, before it is chosen: the interface a rule by supertype names
     * may load only after its first implementation does.
     */
    @Test
    void aClassDeclaringAMethodOfThePresetsParametersPutsItInForceBeforeItIsChosen() {
        Counted preset = new Counted(null, List.of("(Lshop/Request;"));
        weaving.use(List.of(), List.of(), List.of(preset));
        ClassLoader loader = getClass().getClassLoader();
        byte[] other = MeteringRulesTest.declaring("shop/Other", null, "handle", "(Lshop/Reply;)V");
        weaving.rules.mayConcern(loader, "shop/Other", other);
        assertEquals(0, preset.reads);
        byte[] handler = MeteringRulesTest.declaring("shop/Handler", null, "handle", "(Lshop/Request;Lshop/Reply;)V");
        weaving.rules.mayConcern(loader, "shop/Handler", handler);
        weaving.rules.mayConcern(loader, "shop/Handler", handler);
        assertEquals(1, preset.reads);
        assertEquals(List.of(gauge("preset:counted.yml line 2", "test_preset_queued"),
                gauge("preset:counted.yml line 3", "test_file_queued")), weaving.gauges.inForce());
        assertFalse(weaving.presets.selects(INTERNAL_NAME), "no longer pending by its class either");
        assertEquals(List.of(), weaving.presets.descriptors());
    }

    @Test
    void aPresetThatDoesNotReadIsOneLineAndLeftOut() {
        Counted preset = new Counted(new IllegalArgumentException("config=preset:counted.yml line 3: bad"));
        weaving.use(List.of(), List.of(), List.of(preset));
        weaving.putInForcePresetOf(INTERNAL_NAME);
        weaving.putInForcePresetOf(INTERNAL_NAME);
        assertEquals(1, preset.reads);
        assertEquals(List.of(), weaving.gauges.inForce());
        assertEquals("[metrics-agent] preset counted is left out: config=preset:counted.yml line 3: bad\n", stderr.text());
    }
}
