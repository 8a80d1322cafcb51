package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped presets, and the {@code presets} option that chooses them. */
class PresetsTest {

    @TempDir
    Path dir;

    private static List<String> names(AgentOptions options) {
        List<String> names = new ArrayList<>();
        for (Preset preset : options.presets()) {
            names.add(preset.name());
        }
        return names;
    }

    /**
     * What premain knows of a preset without reading it puts it in force before any class it
     * selects is woven: every class it selects by name is one of its classes; every rule by
     * supertype is triggered by the descriptor of its parameters, or else by its supertype's name.
     * A preset may name more classes (one its library loads before any it selects).
     */
    @Test
    void eachPresetReadsAndIsPutInForceByWhatItSelects() {
        assertEquals(List.of("hikaricp", "http_server", "jdbc", "scheduled"), Presets.names());
        for (String name : Presets.names()) {
            Preset preset = Presets.named(name);
            Preset.Contents contents = preset.read();
            TreeSet<String> classes = new TreeSet<>();
            TreeSet<String> descriptors = new TreeSet<>();
            for (MethodRule rule : contents.rules) {
                assertNull(rule.annotation(), rule.where());
                assertTrue(rule.where().startsWith("preset:" + name + ".yml line "), rule.where());
                if (rule.supertype() == null) {
                    assertTrue(!rule.classPattern().contains("*"), rule.where());
                    classes.add(rule.classPattern());
                } else if (rule.parametersDescriptor() != null) {
                    descriptors.add(rule.parametersDescriptor());
                } else {
                    classes.add(rule.supertype());
                }
            }
            for (GaugeRule gauge : contents.gauges) {
                assertTrue(gauge.where().startsWith("preset:" + name + ".yml line "), gauge.where());
                classes.add(gauge.className());
            }
            assertTrue(preset.classes().containsAll(classes), name + ": " + classes + " in " + preset.classes());
            assertEquals(descriptors, new TreeSet<>(preset.descriptors()), name);
        }
    }

    @Test
    void aPresetIsAConfigFileOfItsOwn() throws IOException {
        for (String name : Presets.names()) {
            Path copy = dir.resolve(name + ".yml");
            Files.writeString(copy, Presets.text(name));
            AgentOptions options = AgentOptions.parse("config=" + copy + ",presets=none");
            assertNull(options.configProblem(), name);
            Preset.Contents shipped = Presets.named(name).read();
            assertEquals(shipped.rules, options.rules(), name);
            assertEquals(shipped.gauges, options.gauges(), name);
        }
        assertNull(Presets.text("nosuch"));
    }

    @Test
    void allAreChosenByDefaultNoneWithNoneAndSomeByName() {
        assertEquals(List.of("hikaricp", "http_server", "jdbc", "scheduled"), names(AgentOptions.parse("")));
        assertEquals(List.of("hikaricp", "http_server", "jdbc", "scheduled"), names(AgentOptions.parse("presets=all")));
        assertEquals(List.of(), names(AgentOptions.parse("presets=none")));
        assertEquals(List.of("scheduled"), names(AgentOptions.parse("port=0,presets=scheduled")));
        assertEquals(List.of("scheduled", "hikaricp"), names(AgentOptions.parse("presets=scheduled+hikaricp")));
        assertEquals(List.of("hikaricp"), names(AgentOptions.parse("presets= hikaricp + hikaricp ")));
        assertEquals(List.of("hikaricp", "scheduled"),
                names(AgentOptions.parse("", name -> null, Map.of("presets", "hikaricp,scheduled")::get)));
        assertNull(AgentOptions.parse("presets=none").presetsProblem());
    }

    @Test
    void anUnknownNameIsOneLineAndTheOthersAreChosen() {
        AgentOptions options = AgentOptions.parse("presets=hikaricp+jbdc+nosuch");
        assertEquals(List.of("hikaricp"), names(options));
        assertEquals("presets: no preset named jbdc, nosuch; the presets are hikaricp, http_server, jdbc, scheduled (or all, or none)",
                options.presetsProblem());
        assertEquals("presets=hikaricp++scheduled has an empty name (names joined by +, e.g. presets=hikaricp+scheduled)",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("presets=hikaricp++scheduled"))
                        .getMessage());
    }

    @Test
    void aYamlFileGivesAListOrOneName() throws IOException {
        Path list = dir.resolve("list.yml");
        Files.writeString(list, "presets: [scheduled]\n");
        assertEquals(List.of("scheduled"), names(AgentOptions.parse("config=" + list)));
        Path none = dir.resolve("none.yml");
        Files.writeString(none, "presets: none\n");
        assertEquals(List.of(), names(AgentOptions.parse("config=" + none)));
        assertEquals(List.of("hikaricp"), names(AgentOptions.parse("config=" + none + ",presets=hikaricp")));
    }

    @Test
    void aPresetFileSettingAnOptionIsRefused() {
        assertEquals("preset:x.yml sets options; a preset has metrics and gauges only",
                assertThrows(IllegalArgumentException.class, () -> YamlConfig.readPreset("x", "port: 1\n")).getMessage());
    }
}
