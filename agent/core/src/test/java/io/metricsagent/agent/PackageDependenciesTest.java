package io.metricsagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the agent and what each may import of the others, as each package's
 * {@code package-info.java} says: read from the sources' import lines, so that a new arrow between
 * rooms, or one that runs back up into the wiring, is a decision and not an accident.
 */
class PackageDependenciesTest {

    private static final String AGENT = "io.metricsagent.agent";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.metricsagent\\.([a-z.]*?)\\.?[A-Z]",
            Pattern.MULTILINE);

    /** By package, relative to {@value #AGENT} ("" for the wiring), what it may import of the agent and the bridge. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("", Set.of("collectors", "config", "export", "metrics", "report", "status", "weaving")),
            Map.entry("attach", Set.of("check", "config", "report")),
            Map.entry("check", Set.of("config", "description", "weaving")),
            Map.entry("collectors", Set.of("config", "metrics", "report", "weaving", "bootstrap")),
            Map.entry("config", Set.of("description", "report")),
            Map.entry("export", Set.of("config", "report")),
            Map.entry("description", Set.of()),
            Map.entry("metrics", Set.of("config", "description", "report", "bootstrap")),
            Map.entry("report", Set.of()),
            Map.entry("status", Set.of("config", "description", "metrics", "report", "weaving")),
            Map.entry("weaving", Set.of("description", "metrics", "report", "bootstrap")));

    @Test
    void eachPackageImportsOnlyWhatItsPackageInfoAllows() throws IOException {
        Path sources = Paths.get("src/main/java", AGENT.split("\\."));
        Map<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String room = sources.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> imports = found.computeIfAbsent(room, r -> new TreeSet<>());
                Matcher matcher = IMPORT.matcher(read(file));
                while (matcher.find()) {
                    String imported = matcher.group(1);
                    imported = imported.equals("bootstrap") ? "bootstrap"
                            : imported.equals("agent") ? "" : imported.substring("agent.".length());
                    if (!imported.equals(room)) {
                        imports.add(imported);
                    }
                }
            });
        }
        Map<String, Set<String>> refused = new TreeMap<>();
        found.forEach((room, imports) -> {
            Set<String> extra = new TreeSet<>(imports);
            extra.removeAll(ALLOWED.getOrDefault(room, Set.of()));
            if (!extra.isEmpty()) {
                refused.put(room.isEmpty() ? "(the wiring)" : room, extra);
            }
        });
        assertEquals(new TreeSet<>(ALLOWED.keySet()), found.keySet(), "the rooms");
        assertEquals(Map.of(), refused, "imports no package-info allows");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
