package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build itself: {@code mvn test} from the root of a clean checkout, the phase that stops
 * before any module is packaged. (This build has just run package and verify.) Offline, against
 * the local repository this build filled, with nothing installed in it.
 */
class CleanCheckoutIT {

    private static final long TIMEOUT_SECONDS = 600;
    private static final Set<String> EXCLUDED = Set.of("target", ".git", ".idea");

    @Test
    void mvnTestPassesInACleanCopyOfTheSources(@TempDir Path dir) throws Exception {
        Path root = Paths.get(property("project.root")).toAbsolutePath().normalize();
        Path copy = dir.resolve("checkout");
        copySources(root, copy);
        Path log = dir.resolve("mvn.log");
        ProcessBuilder mvn = new ProcessBuilder(Paths.get(property("maven.home"), "bin", "mvn").toString(),
                "-B", "-o", "-Dmaven.repo.local=" + property("local.repository"), "test")
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process build = mvn.start();
        try {
            assertTrue(build.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "mvn test still running after " + TIMEOUT_SECONDS + " s");
        } finally {
            build.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(0, build.exitValue(), () -> String.join("\n", output));
        assertTrue(output.contains("[INFO] BUILD SUCCESS"), () -> String.join("\n", output));
    }

    /** The sources as a fresh clone has them: everything but build output and version control. */
    private static void copySources(Path root, Path copy) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                if (!directory.equals(root) && EXCLUDED.contains(directory.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(copy.resolve(root.relativize(directory).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!EXCLUDED.contains(file.getFileName().toString())) {
                    Files.copy(file, copy.resolve(root.relativize(file).toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isEmpty(), name + " is not set: run the integration tests through Maven (mvn verify)");
        return value;
    }
}
