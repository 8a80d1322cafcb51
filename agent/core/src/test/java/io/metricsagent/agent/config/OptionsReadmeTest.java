package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md's options table is the options' documentation; {@link Option} is what the agent
 * accepts. The two list the same keys in the same order with the same defaults. A row may name
 * two keys ({@code `a_file` / `a_env`}), which share its default.
 */
class OptionsReadmeTest {

    /** The project root's README.md, from the module's directory (agent/core), where tests run. */
    private static final Path README = Paths.get("").toAbsolutePath().resolve("../../README.md").normalize();

    @Test
    void theReadmeTableListsEveryOptionWithItsDefault() throws IOException {
        List<String> declared = new ArrayList<>();
        for (Option option : Option.values()) {
            declared.add(option.key + " | " + option.documentedDefault());
        }
        assertEquals(String.join("\n", declared), String.join("\n", documented()));
    }

    /** {@code key | default} for each key of the table under {@code ## Options}, in order. */
    private static List<String> documented() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Options");
            } else if (inSection && line.startsWith("| `")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
                String defaultCell = cells[cells.length - 1].trim();
                for (String key : cells[0].trim().split(" / ")) {
                    rows.add(key.substring(1, key.length() - 1) + " | " + defaultCell);
                }
            }
        }
        return rows;
    }
}
