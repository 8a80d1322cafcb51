package io.metricsagent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

/** The JVMs the integration tests run their applications on: the build's JDK 17 and a Temurin 25. */
final class Jdks {

    private static final Path JVM_DIR = Paths.get("/usr/lib/jvm");

    private Jdks() {}

    /** Arguments (name, java executable or null when that JDK is not installed). */
    static Stream<Arguments> all() {
        List<Arguments> jdks = new ArrayList<>();
        jdks.add(Arguments.of("jdk" + Runtime.version().feature(), current()));
        jdks.add(Arguments.of("temurin25", temurin25()));
        return jdks.stream();
    }

    static Path current() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /** Skips the calling test, saying so, when {@code java} is null. */
    static void assumeInstalled(String name, Path java) {
        Assumptions.assumeTrue(java != null, "no " + name + " JDK is installed under " + JVM_DIR + "; that leg is skipped");
    }

    private static Path temurin25() {
        if (!Files.isDirectory(JVM_DIR)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(JVM_DIR)) {
            return homes.filter(home -> home.getFileName().toString().contains("temurin"))
                    .filter(Jdks::isJava25)
                    .map(home -> home.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isJava25(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream().anyMatch(l -> l.startsWith("JAVA_VERSION=\"25"));
        } catch (IOException e) {
            return false;
        }
    }
}
