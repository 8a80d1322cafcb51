package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metricsagent.agent.report.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration input from templating gone wrong: {@value #INPUTS} inputs each for the agent
 * argument, a properties file and a YAML file, mutated from the shipped examples (truncations,
 * random bytes, deep nesting, huge scalars and keys, tabs, bytes that are not UTF-8, duplicated
 * keys, anchors and aliases). Each must end in the options being accepted or in an
 * {@link IllegalArgumentException} that prints as one line; within a second and a few MB of heap.
 * Input {@code i} of a kind is made by {@code new Random(SEED + i)} from the same seeds, so a
 * failure, which names its kind and {@code i}, reproduces.
 */
class HostileInputTest {

    static final int INPUTS = 10_000;
    static final long SEED = 20261206L;
    /** Longer than any input's honest work, shorter than a second. */
    static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    static final long MAX_ALLOCATED_BYTES = 8L << 20;

    private static final Path ROOT = Paths.get("../..");
    private static final Function<String, String> NO_ENVIRONMENT = name -> null;
    private static final Function<String, String> NO_JVM_SETTINGS = key -> null;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    /** The largest allocation and time one input took, per kind, for the failure messages and the log. */
    private long mostAllocated;
    private long longestNanos;

    @Test
    void agentArgumentsEndAcceptedOrInOneLine() throws IOException {
        List<String> seeds = commandLines();
        for (int i = 0; i < INPUTS; i++) {
            Random random = new Random(SEED + i);
            String args = new String(mutate(random, seeds.get(random.nextInt(seeds.size()))
                    .getBytes(StandardCharsets.UTF_8), seeds), StandardCharsets.UTF_8);
            check("argument", i, args, args);
        }
        report("argument");
    }

    @Test
    void propertiesFilesEndAcceptedOrInOneLine() throws IOException {
        List<String> seeds = List.of(propertiesExample());
        Path file = dir.resolve("agent.properties");
        for (int i = 0; i < INPUTS; i++) {
            Random random = new Random(SEED + i);
            Files.write(file, mutate(random, seeds.get(0).getBytes(StandardCharsets.UTF_8), seeds));
            check("properties file", i, "config=" + file, file);
        }
        report("properties file");
    }

    @Test
    void yamlFilesEndAcceptedOrInOneLine() throws IOException {
        List<String> seeds = yamlExamples();
        Path file = dir.resolve("agent.yml");
        for (int i = 0; i < INPUTS; i++) {
            Random random = new Random(SEED + i);
            Files.write(file, mutate(random, seeds.get(random.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8),
                    seeds));
            check("YAML file", i, "config=" + file, file);
        }
        report("YAML file");
    }

    @Test
    void aBillionLaughsIsOneLine() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int j = 0; j < 9; j++) {
                bomb.append(j == 0 ? "" : ",").append('*').append((char) (c - 1));
            }
            bomb.append("]\n");
        }
        Path file = dir.resolve("bomb.yml");
        Files.writeString(file, bomb);
        assertEquals("config=" + file + " cannot be read: org.yaml.snakeyaml.error.YAMLException: Number of aliases for"
                + " non-scalar nodes exceeds the specified max=10", check("bomb", 0, "config=" + file, file));
    }

    @Test
    void nestingOneHundredThousandDeepIsOneLine() throws IOException {
        Path file = dir.resolve("deep.yml");
        Files.writeString(file, "metrics: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        String problem = check("deep", 0, "config=" + file, file);
        assertTrue(problem.startsWith("config=" + file + " "), problem);
        Files.writeString(file, "metrics:\n" + "  - class: a.B\n    labels:\n" + "      {a: ".repeat(100_000) + "\n");
        problem = check("deep", 1, "config=" + file, file);
        assertTrue(problem.startsWith("config=" + file + " "), problem);
    }

    @Test
    void whatIsNotARegularFileIsNotRead() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("conf.yml"));
        assertEquals("config=" + directory + " cannot be read: it is a directory",
                check("directory", 0, "config=" + directory, directory));
        assertEquals("config=/dev/zero cannot be read: it is not a regular file",
                check("device", 0, "config=/dev/zero", "/dev/zero"));
        assertEquals("auth_password_file=/dev/zero cannot be read: it is not a regular file",
                check("device", 1, "auth_user=u,auth_password_file=/dev/zero", "/dev/zero"));
        Path missing = dir.resolve("missing.yml");
        assertEquals("config=" + missing + " cannot be read: there is no such file",
                check("missing", 0, "config=" + missing, missing));
        Path large = dir.resolve("large.properties");
        byte[] comment = new byte[ConfigFile.MAX_BYTES + 1];
        Arrays.fill(comment, (byte) '#');
        Files.write(large, comment);
        assertEquals("config=" + large + " cannot be read: it is larger than 1048576 bytes",
                check("large", 0, "config=" + large, large));
        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, "labels: {city: M\u00fcnchen}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("config=" + latin1 + " cannot be read: it is not UTF-8 text (the byte at offset 16 begins no character)",
                check("latin1", 0, "config=" + latin1, latin1));
    }

    /** Opening a named pipe waits for a writer: premain would have waited for ever. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aNamedPipeIsNotOpened() throws Exception {
        Path fifo = dir.resolve("fifo.yml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        assertEquals("config=" + fifo + " cannot be read: it is not a regular file",
                check("fifo", 0, "config=" + fifo, fifo));
        assertNull(ConfigFile.bytes(fifo.toString()));
    }

    /**
     * Parses {@code args} as premain does (and asks, as premain does when that fails, whether
     * {@code strict} was meant), and answers the problem it ends in, or {@code null}.
     */
    private String check(String kind, int i, String args, Object input) {
        String where = kind + " input " + i + " (new Random(" + SEED + " + " + i + "))";
        long allocatedBefore = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        long start = System.nanoTime();
        String problem;
        try {
            AgentOptions options = AgentOptions.parse(args, NO_ENVIRONMENT, NO_JVM_SETTINGS);
            problem = options.configProblem();
        } catch (IllegalArgumentException refused) {
            problem = refused.getMessage();
        } catch (Throwable t) {
            throw new AssertionError(where + " threw " + t + " for " + shown(input), t);
        }
        try {
            AgentOptions.strictRequested(args, NO_JVM_SETTINGS);
        } catch (Throwable t) {
            throw new AssertionError(where + ": strictRequested threw " + t + " for " + shown(input), t);
        }
        long nanos = System.nanoTime() - start;
        long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore;
        mostAllocated = Math.max(mostAllocated, allocated);
        longestNanos = Math.max(longestNanos, nanos);
        if (nanos > MAX_NANOS) {
            fail(where + " took " + nanos / 1_000_000 + " ms for " + shown(input));
        }
        if (allocated > MAX_ALLOCATED_BYTES) {
            fail(where + " allocated " + allocated + " bytes for " + shown(input));
        }
        if (problem != null) {
            assertTrue(!problem.isEmpty(), where);
            String line = AgentLog.line(problem);
            assertTrue(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, where + " printed more than a line: " + line);
            assertTrue(line.length() < 2200, where + " printed " + line.length() + " characters");
        }
        return problem;
    }

    private static String shown(Object input) {
        if (input instanceof Path) {
            try {
                byte[] bytes = Files.readAllBytes((Path) input);
                String text = new String(bytes, StandardCharsets.UTF_8);
                return "a file of " + bytes.length + " bytes beginning " + AgentLog.line(text.substring(0, Math.min(300, text.length())));
            } catch (IOException e) {
                return input.toString();
            }
        }
        String text = String.valueOf(input);
        return AgentLog.line(text.substring(0, Math.min(300, text.length())));
    }

    private void report(String kind) {
        System.out.println(kind + ": " + INPUTS + " inputs, at most " + mostAllocated / 1024 + " KiB allocated and "
                + longestNanos / 1_000_000 + " ms for one");
    }

    /** One to three of the mutations, in turn. */
    private static byte[] mutate(Random random, byte[] input, List<String> seeds) {
        byte[] bytes = input;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            bytes = mutateOnce(random, bytes, seeds);
        }
        return bytes;
    }

    private static byte[] mutateOnce(Random random, byte[] bytes, List<String> seeds) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int line = random.nextInt(lines.size());
        switch (random.nextInt(13)) {
            case 0: // truncated
                return Arrays.copyOf(bytes, at);
            case 1: { // random bytes over the input, of any value
                byte[] out = bytes.clone();
                for (int n = 1 + random.nextInt(8); n > 0 && out.length > 0; n--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 2: { // random bytes put in
                byte[] noise = new byte[1 + random.nextInt(32)];
                random.nextBytes(noise);
                return splice(bytes, at, at, noise);
            }
            case 3: // a piece left out
                return splice(bytes, at, Math.min(bytes.length, at + random.nextInt(64)), new byte[0]);
            case 4: // a line twice: duplicate keys
                lines.add(line, lines.get(line));
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            case 5: // indentation as tabs
                lines.set(line, lines.get(line).replace("  ", "\t"));
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            case 6: { // deep nesting, as flow or as blocks
                int depth = 10 + random.nextInt(5000);
                String[] opens = {"[", "{a: ", "- ", "{", "\"a\": ["};
                String open = opens[random.nextInt(opens.length)];
                return splice(bytes, at, at, open.repeat(depth).getBytes(StandardCharsets.UTF_8));
            }
            case 7: { // a huge scalar where a value was
                String current = lines.get(line);
                int colon = current.indexOf(':');
                String huge = "x".repeat(1 + random.nextInt(256 * 1024));
                lines.set(line, colon < 0 ? current + huge : current.substring(0, colon + 1) + " " + huge);
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case 8: // a huge key
                lines.add(line, "k".repeat(1 + random.nextInt(128 * 1024)) + (random.nextBoolean() ? ": 1" : "=1"));
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            case 9: { // anchors and aliases, where they fit and where they do not
                String[] marks = {"&a ", "*a", "&a [x, y]", "*b", "<<: *a", "&x &y ", "!!binary ", "!custom "};
                return splice(bytes, at, at, marks[random.nextInt(marks.length)].getBytes(StandardCharsets.UTF_8));
            }
            case 10: { // a line of another example
                String[] other = seeds.get(random.nextInt(seeds.size())).split("\n", -1);
                lines.add(line, other[random.nextInt(other.length)]);
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case 11: { // bytes that are not UTF-8
                byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3, '('}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};
                return splice(bytes, at, at, invalid[random.nextInt(invalid.length)]);
            }
            default: { // characters that mean something to one of the readers
                String[] specials = {",", "=", ":", "\n", "\r\n", "\t", "\u0000", "\\", "\\u12", "#", "'", "\"", "%", "---\n",
                    "...\n", "? ", "|", ">", "{", "}", "[", "]", "\u2028", "\ufeff", "=,=", "config=x.yml"};
                return splice(bytes, at, at, specials[random.nextInt(specials.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] put) {
        byte[] out = new byte[bytes.length - (to - from) + put.length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(put, 0, out, from, put.length);
        System.arraycopy(bytes, to, out, from + put.length, bytes.length - to);
        return out;
    }

    /**
     * The agent arguments the README and the configuration reference show, and as many again of
     * the {@code key=value} pairs they show, joined at random.
     */
    private static List<String> commandLines() throws IOException {
        String docs = read(ROOT.resolve("README.md")) + read(ROOT.resolve("docs/configuration.md"));
        List<String> lines = new ArrayList<>();
        Matcher args = Pattern.compile("-javaagent:[^=`\\s]*metrics-agent\\.jar=([^`\\s]+)").matcher(docs);
        while (args.find()) {
            lines.add(args.group(1));
        }
        List<String> pairs = new ArrayList<>();
        Matcher pair = Pattern.compile("`([a-z_]+=[^`\\s]*)`").matcher(docs);
        while (pair.find()) {
            pairs.add(pair.group(1));
        }
        assertTrue(lines.size() >= 3 && pairs.size() >= 20, "examples found: " + lines + " " + pairs);
        Random random = new Random(SEED);
        for (int i = lines.size(); i > 0; i--) {
            List<String> some = new ArrayList<>();
            for (int n = 1 + random.nextInt(5); n > 0; n--) {
                some.add(pairs.get(random.nextInt(pairs.size())));
            }
            lines.add(String.join(",", some));
        }
        return lines;
    }

    /** Every option the agent reads from a file, at its default, as a properties file has it. */
    private static String propertiesExample() {
        StringBuilder file = new StringBuilder("# every option at its default\n");
        for (Option option : Option.values()) {
            if (option.defaultValue != null && Option.inFile(option.key)) {
                file.append(option.key).append(" = ").append(option.defaultValue).append('\n');
            }
        }
        return file.toString();
    }

    /** The sample's file, the shipped presets, the benchmark's files and the reference's examples. */
    private static List<String> yamlExamples() throws IOException {
        List<String> files = new ArrayList<>();
        files.add(read(ROOT.resolve("sample-app/metrics-agent.yml")));
        files.add(read(ROOT.resolve("it/bench/metrics-agent-bench.yml")));
        for (String preset : Presets.names()) {
            try (InputStream in = HostileInputTest.class.getResourceAsStream("/io/metricsagent/agent/presets/" + preset + ".yml")) {
                files.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(read(ROOT.resolve("docs/configuration.md")));
        while (blocks.find()) {
            files.add(blocks.group(1));
        }
        return files;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
