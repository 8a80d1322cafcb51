package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running JVM's heap holds after a full collection, as its own JDK's {@code jcmd} counts it
 * ({@code GC.class_histogram}, which collects first: one step, so that garbage made between a
 * collection and a separate reading does not count).
 */
final class ClassHistogram {

    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    /** Bytes of live objects. */
    final long bytes;
    private final Map<String, Long> instances = new HashMap<>();
    private final Map<String, Long> classBytes = new HashMap<>();

    private ClassHistogram(String text) {
        Matcher total = TOTAL.matcher(text);
        assertTrue(total.find(), () -> "no total in the class histogram:\n" + text);
        bytes = Long.parseLong(total.group(1));
        for (Matcher row = ROW.matcher(text); row.find(); ) {
            instances.merge(row.group(3), Long.parseLong(row.group(1)), Long::sum);
            classBytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
        }
    }

    /** The histogram of the JVM {@code job}, read with the {@code jcmd} beside {@code java}. */
    static ClassHistogram of(Path java, JvmProcess job) throws Exception {
        Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), String.valueOf(job.pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS), "jcmd GC.class_histogram");
        return new ClassHistogram(out);
    }

    /** The classes whose live bytes grew most since {@code before}, a line each: what a failure says. */
    String growthSince(ClassHistogram before) {
        StringBuilder text = new StringBuilder();
        classBytes.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.classBytes.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(12)
                .forEach(e -> text.append(String.format("%n%+10d B %+7d  %s", e.getValue(),
                        instances(e.getKey()) - before.instances(e.getKey()), e.getKey())));
        return text.toString();
    }

    /** Live instances of the class, by its binary name. */
    long instances(String className) {
        return instances.getOrDefault(className, 0L);
    }
}
