package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The small reader against SnakeYAML: whenever it reads a document, the tree is SnakeYAML's, node
 * for node and line for line; what it declines, SnakeYAML reads (or refuses, with its message).
 */
class BlockYamlTest {

    private static final Path ROOT = Paths.get("").toAbsolutePath().resolve("../..").normalize();

    /** SnakeYAML's tree as text, or the exception it throws. */
    private static String snakeYaml(String text) {
        try {
            LoaderOptions limits = new LoaderOptions();
            limits.setMaxAliasesForCollections(10);
            return describe(YamlNode.read(new StringReader(text), limits));
        } catch (RuntimeException e) {
            return "refused: " + e;
        }
    }

    private static String describe(YamlNode node) {
        if (node == null) {
            return "null";
        }
        if (node.kind == YamlNode.Kind.SCALAR) {
            return node.line + "'" + node.text + "'";
        }
        return node.line + (node.kind == YamlNode.Kind.MAPPING ? "{" : "[")
                + node.elements().stream().map(BlockYamlTest::describe).collect(Collectors.joining(", "))
                + (node.kind == YamlNode.Kind.MAPPING ? "}" : "]");
    }

    /** The small reader's tree, which must be SnakeYAML's; {@code null} when it declines. */
    private static String checked(String text) {
        YamlNode node = BlockYaml.read(text);
        if (node != null) {
            assertEquals(snakeYaml(text), describe(node), text);
        }
        return node == null ? null : describe(node);
    }

    @Test
    void theSampleConfigIsReadAsSnakeYamlReadsIt() throws IOException {
        String text = Files.readString(ROOT.resolve("sample-app/metrics-agent.yml"));
        assertNotNull(checked(text));
        assertTrue(describe(BlockYaml.read(text)).startsWith("6{6'metrics', 7[7{7'class', 7'io.metricsagent.sample"
                + ".LegacyGatewayClient', 8'method', 8'charge', 10'parameters', 10[10'io.metricsagent.sample"
                + ".LegacyGatewayClient$ChargeRequest']"), describe(BlockYaml.read(text)));
    }

    /** Every YAML file of the repository, every yaml example of its documents, every text its tests write. */
    @Test
    void everyYamlOfTheRepositoryIsReadAsSnakeYamlReadsItOrDeclined() throws IOException {
        List<String> texts = repositoryYaml();
        int read = 0;
        for (String text : texts) {
            if (checked(text) != null) {
                read++;
            }
        }
        // 75 of 192 texts: of the 79 that SnakeYAML reads as a mapping or list, the other 4 are
        // SnakeYAML's (the Prometheus rule files' folded scalars, anchors, a flow mapping over two
        // lines); the rest are not YAML.
        assertTrue(texts.size() >= 180 && read >= 70, read + " of " + texts.size());
    }

    private static List<String> repositoryYaml() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(BlockYamlTest::checkedIn).collect(Collectors.toList())) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                    texts.add(Files.readString(file, StandardCharsets.UTF_8));
                } else if (name.endsWith(".md")) {
                    texts.addAll(examples(Files.readString(file, StandardCharsets.UTF_8)));
                } else if (name.endsWith(".java") && file.toString().contains("/src/test/")) {
                    texts.addAll(strings(Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }
        return texts;
    }

    private static boolean checkedIn(Path file) {
        String path = ROOT.relativize(file).toString();
        return Files.isRegularFile(file) && !path.startsWith(".") && !path.contains("target/")
                && !path.contains("node_modules/");
    }

    /** A document's ```yaml blocks. */
    private static List<String> examples(String markdown) {
        List<String> examples = new ArrayList<>();
        StringBuilder example = null;
        for (String line : markdown.split("\n", -1)) {
            if (example == null && line.trim().equals("```yaml")) {
                example = new StringBuilder();
            } else if (example != null && line.trim().equals("```")) {
                examples.add(example.toString());
                example = null;
            } else if (example != null) {
                example.append(line).append('\n');
            }
        }
        return examples;
    }

    /**
     * The multi-line texts of a test's source, the config files the unit tests and the ITs write:
     * its text blocks, and its string literals joined by {@code +} (escapes \\n, \\", \\\\ only).
     */
    private static List<String> strings(String source) {
        List<String> texts = new ArrayList<>();
        Matcher block = TEXT_BLOCK.matcher(source);
        while (block.find()) {
            String[] lines = block.group(1).split("\n", -1);
            int indent = Integer.MAX_VALUE;
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank() || i == lines.length - 1) {
                    indent = Math.min(indent, lines[i].length() - lines[i].stripLeading().length());
                }
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < lines.length - 1; i++) {
                text.append(lines[i].length() > indent ? lines[i].substring(indent).stripTrailing() : "").append('\n');
            }
            addUnescaped(texts, text.toString());
        }
        Matcher joined = JOINED_LITERALS.matcher(TEXT_BLOCK.matcher(source).replaceAll(""));
        while (joined.find()) {
            StringBuilder text = new StringBuilder();
            Matcher literal = LITERAL.matcher(joined.group());
            while (literal.find()) {
                text.append(literal.group(1));
            }
            if (text.indexOf("\\n") >= 0) {
                addUnescaped(texts, text.toString());
            }
        }
        return texts;
    }

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"\n(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\n]++|\\\\.)*+)\"");
    private static final Pattern JOINED_LITERALS = Pattern.compile(LITERAL + "(?:\\s*\\+\\s*" + LITERAL + ")+");

    /** Leaves out a text with an escape other than \\n, \\" and \\\\. */
    private static void addUnescaped(List<String> texts, String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = ++i < text.length() ? text.charAt(i) : ' ';
            if (next == 'n') {
                out.append('\n');
            } else if (next == '"' || next == '\\') {
                out.append(next);
            } else {
                return;
            }
        }
        texts.add(out.toString());
    }

    /** Each text, and whether the small reader reads it (else it is SnakeYAML's). */
    private static final Object[][] CASES = {
        {"a: 1\nb: two  words\n", true},
        {"a: 'q # not a comment'  # a comment\n", true},
        {"a: \"x: y\"\n", true},
        {"a: 'it''s'\n", true},
        {"a: it's # a comment\n", true},
        {"a: \"escaped\\n\"\n", false},
        {"- a: 1\n  b: 2\n- c\n", true},
        {"-   a: 1\n    b: 2\n", true},
        {"a:\n- x\n- y\nb: z\n", true},
        {"a:\n  -\n    - x\n  -\n  - y\n", true},
        {"- - a\n", false},
        {"a: [a, 'b c', \"d\"]\nb: []\nc: [ x ,y ]\n", true},
        {"a: [a, b,]\n", true},
        {"a: [x\n", false},
        {"a: {b: c}\n", true},
        {"a: {}\nb: []\nc: { }\nd: [ ]\ne: [{}, []]\n", true},
        {"a: {b: c,}\n", true},
        {"a: {b  :  c  , d e: f g, b: h}\n", true},
        {"a: {b: 'x, } ] :', c: \"x, } ] :\", 'd''s': e}\n", true},
        {"a: {b: [c, d], e: {f: {g: [h, {}]}}}\n", true},
        {"a: [{b: c}, [d, [e]], x]\n", true},
        {"a: {value: 'args[0].x', map: [GET, POST], other: _OTHER}\n", true},
        {"a: {b: -1, c: -x, d: it's}\n", true},
        {"- {a: b}\n- [a, {b: c}]\n- k: {a: b}  # c\n", true},
        {"a: {value: args[0].x}\n", false},
        {"a: {b:c}\n", false},
        {"a: {b: c:d}\n", false},
        {"a: {'b':c}\n", false},
        {"a: {b :c}\n", false},
        {"a: {b: http://x}\n", false},
        {"a: {b: c #x}\n", false},
        {"a: {b: c#x}\n", false},
        {"a: {b: c}#x\n", false},
        {"a: {b}\n", false},
        {"a: {b: }\n", false},
        {"a: {b: , c: d}\n", false},
        {"a: {, b: c}\n", false},
        {"a: {b: c,,}\n", false},
        {"a: [,]\n", false},
        {"a: {? b: c}\n", false},
        {"a: {b?: c}\n", false},
        {"a: {[b]: c}\n", false},
        {"a: {{b: c}: d}\n", false},
        {"a: {b: - c}\n", false},
        {"a: {b: !t c, d: *x}\n", false},
        {"a: {b: c}}\n", false},
        {"a: {b: c} d\n", false},
        {"a: {b: c\n  , d: e}\n", false},
        {"a: [b,\n  c]\n", false},
        {"{a: b}\n", false},
        {"{a: b}: c\n", false},
        {"[a]: b\n", false},
        {"a:\nb:\nc: # nothing\n", true},
        {"- \n- x\n-\n", true},
        {"key with spaces: v\n", true},
        {"ключ: значение ✓\n", true},
        {"a: 1\r\nb: 2\r\n", true},
        {"a: 1\rb: 2\r", false},
        {"a: 1   \nb: x  \n", true},
        {"a: x#y\n", true},
        {"a:value\n", false},
        {"a:b: c\n", true},
        {"a : b\n", true},
        {"a: b: c\n", false},
        {"a: b:\n", false},
        {"a: 1\na: 2\n", true},
        {"a: true\nb: 1.5e3\nc: ~\nd: null\ne: -1\nf: [-2, x]\n", true},
        {"a:\n    b: 1\n    c: 2\n", true},
        {"a:\n    b: 1\n  c: 2\n", false},
        {"a: b\n  c\n", false},
        {"- a\n  b\n", false},
        {"a: &x 1\nb: *x\n", false},
        {"a: !!str 1\n", false},
        {"a: |\n  x\n", false},
        {"a: >\n  x\n", false},
        {"---\na: 1\n", false},
        {"a: 1\n...\n", false},
        {"a:\tb\n", false},
        {"a: 'unterminated\n", false},
        {"", false},
        {"# nothing\n", false},
        {"  a: 1\n  b: 2\n", true},
        {"'quoted key': v\n\"k2\" : w\n", true},
        {"a: ''\nb: \"\"\n", true},
        {"a: x\n- y\n", false},
        {"\ufeffa: 1\n", false},
        {"a: 1 # c\n# full\n    # indented comment\nb: 2\n", true},
        {"a: ?x\n", false},
        {"a: %x\n", false},
        {"? a\n: b\n", false},
        {"a: [b, [c]]\n", true},
        {"a: [b: c]\n", false},
        {"plain scalar\n", false},
    };

    @Test
    void edgeCasesAreReadAsSnakeYamlReadsThemOrDeclined() {
        for (Object[] c : CASES) {
            String text = (String) c[0];
            String tree = checked(text);
            assertEquals(c[1], tree != null, text + " read as " + tree);
        }
    }

    @Test
    void aFlowMappingIsReadAsSnakeYamlReadsIt() {
        assertEquals("1{1'labels', 1{1'pool', 1'this.config.poolName'}, 2'outcome', 2{2'outcome', 2[2'SUCCESS', "
                + "2'ERROR']}}", checked("labels: {pool: this.config.poolName}\noutcome: {outcome: [SUCCESS, ERROR]}\n"));
    }

    /** Read in the application's thread when their library's first class loads, as in a Spring Boot start. */
    @Test
    void theShippedPresetsAreReadAsSnakeYamlReadsThem() {
        for (String name : Presets.names()) {
            assertNotNull(checked(Presets.text(name)), name);
        }
    }

    @Test
    void aKeysValueInAListIsItsOwnMapping() {
        assertEquals("1[1{1'a', 1'1', 2'b', 2''}, 3'c', 4'']", checked("- a: 1\n  b:\n- c\n-\n"));
        assertEquals("1{1'a', 2[2'x', 3{3'y', 3'z'}], 4'b', 4'2'}", checked("a:\n- x\n- y: z\nb: 2\n"));
    }

    /**
     * Seeded mutations of the repository's YAML: characters YAML gives a meaning to put in, lines
     * moved and re-indented. Whatever the small reader reads of them is SnakeYAML's tree.
     */
    @Test
    void mutatedDocumentsAreReadAsSnakeYamlReadsThemOrDeclined() throws IOException {
        List<String> seeds = new ArrayList<>();
        for (String text : repositoryYaml()) {
            if (BlockYaml.read(text) != null) {
                seeds.add(text);
            }
        }
        String[] inserts = {" ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", "\"", "[", "]", ",", "{", "}", "\t",
            "\r", "\r\n", "&", "*", "!", "|", ">", "?", "%", "@", "x", "é", "\\", "...", "---", "''", "\ufeff", "{a: b}",
            "[a, {b: c}]", ", x: y", "{}"};
        Random random = new Random(15);
        int read = 0;
        for (int i = 0; i < 2000; i++) {
            String text = seeds.get(random.nextInt(seeds.size()));
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                text = mutated(text, random, inserts);
            }
            if (checked(text) != null) {
                read++;
            }
        }
        assertTrue(read > 200 && read < 1900, read + " of 2000 read");
    }

    private static String mutated(String text, Random random, String[] inserts) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int n = random.nextInt(lines.size());
        String line = lines.get(n);
        int at = random.nextInt(line.length() + 1);
        switch (random.nextInt(6)) {
            case 0:
            case 1:
                lines.set(n, line.substring(0, at) + inserts[random.nextInt(inserts.length)] + line.substring(at));
                break;
            case 2:
                lines.set(n, at < line.length() ? line.substring(0, at) + line.substring(at + 1) : line);
                break;
            case 3:
                lines.set(n, random.nextBoolean() ? " ".repeat(1 + random.nextInt(2)) + line
                        : line.replaceFirst("^ {1,2}", ""));
                break;
            case 4:
                lines.add(random.nextInt(lines.size() + 1), line);
                break;
            default:
                lines.add(random.nextInt(lines.size()), lines.remove(n));
                break;
        }
        return String.join("\n", lines);
    }

    private static final String[] KEYS = {"a", "key", "k y", "'q'", "\"d\"", "a:b", "-x", "x#y", "é", "'a''b'", "a ",
        "1", "true", "[a]", "?", "&a", "a\"b", "a'b"};
    private static final String[] VALUES = {"", "v", "two words", "'q # x'", "\"d: x\"", "[a, b]", "[]", "[ a ,'b' ]",
        "-1", "x#y", "a:b", "a: b", "a:", "# c", "v # c", "v  ", "'it''s'", "*x", "&x v", "!t v", "|", ">", "{a: b}",
        "[a,]", "[a, [b]]", "~", "'", "\"", "- a", "-", "a - b", "http://x", "[-1, x]", "'a' b", "[a b, c]", "...", "---",
        "a,b", "]", "{}", "{ a: 'b, c', d: [e, f] }", "{a: {b: [c]}}", "[{a: b}, {}]", "{a:b}", "{a: b,}",
        "{a: b #c}", "{'a': \"b}\"}", "{a}", "{a: }", "{? a: b}", "{a: b", "{a: b}}", "{a: b} c", "{a: b, c}",
        "{a: [b, c], d: e}", "{a b: c d}", "{[a]: b}", "{a: b:c}", "{-a: -1}"};

    /**
     * Seeded documents made up of keys, list items, values (flow collections among them) and
     * comments, each row indented as the one before or up to two levels away: structures the
     * repository's files do not have.
     */
    @Test
    void madeUpDocumentsAreReadAsSnakeYamlReadsThemOrDeclined() {
        Random random = new Random(15);
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int indent = 0;
            for (int rows = 1 + random.nextInt(12); rows > 0; rows--) {
                if (random.nextInt(3) > 0) {
                    indent = Math.max(0, indent + (random.nextInt(5) - 2) * 2) + (random.nextInt(12) == 0 ? 1 : 0);
                }
                text.append(" ".repeat(indent));
                int kind = random.nextInt(10);
                if (kind < 3) {
                    text.append(random.nextInt(5) == 0 ? "-" : "-" + " ".repeat(1 + random.nextInt(2))
                            + (random.nextBoolean() ? pick(random, KEYS) + ": " : "") + pick(random, VALUES));
                } else if (kind < 9) {
                    text.append(pick(random, KEYS)).append(':').append(random.nextInt(3) > 0 ? " " + pick(random, VALUES) : "");
                } else {
                    text.append(random.nextBoolean() ? "# a comment" : pick(random, VALUES));
                }
                text.append(random.nextInt(10) == 0 ? "\r\n" : "\n");
            }
            if (checked(text.toString()) != null) {
                read++;
            }
        }
        assertTrue(read > 1000 && read < 10_000, read + " of 20000 read");
    }

    private static String pick(Random random, String[] texts) {
        return texts[random.nextInt(texts.length)];
    }

    /** Files the small reader declines are read by SnakeYAML as before, with its messages. */
    @Test
    void aBadFileIsReportedAsSnakeYamlReportsIt() throws IOException {
        Path file = Files.createTempFile("block-yaml", ".yml");
        try {
            Files.writeString(file, "metrics:\n  - class: a.B\n    name: [x\n");
            AgentOptions options = AgentOptions.parse("config=" + file);
            assertEquals("config=" + file + " line 4: expected ',' or ']', but got <stream end>", options.configProblem());
            Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
            assertNull(BlockYaml.read(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
            assertEquals("config=" + file + " cannot be read: it is not UTF-8 text (the byte at offset 3 begins no character)",
                    AgentOptions.parse("config=" + file).configProblem());
        } finally {
            Files.delete(file);
        }
    }
}
