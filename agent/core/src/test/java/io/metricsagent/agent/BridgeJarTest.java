package io.metricsagent.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeJarTest {

    @TempDir
    Path tmp;

    private String savedTmpDir;

    @BeforeEach
    void pointTmpDirHere() {
        savedTmpDir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
    }

    @AfterEach
    void restoreTmpDir() {
        System.setProperty("java.io.tmpdir", savedTmpDir);
    }

    private static byte[] nested() throws IOException {
        try (InputStream in = BridgeJar.class.getResourceAsStream("/META-INF/metrics-agent/bootstrap.jar")) {
            return in.readAllBytes();
        }
    }

    @Test
    void writesOnceIntoAnOwnerOnlyDirectoryAndReusesIt() throws IOException {
        File first = BridgeJar.extract();
        Path dir = tmp.resolve("metrics-agent-" + System.getProperty("user.name"));
        assertEquals(dir, first.toPath().getParent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertArrayEquals(nested(), Files.readAllBytes(first.toPath()));
        long written = first.lastModified();

        File second = BridgeJar.extract();
        assertEquals(first, second);
        assertEquals(written, second.lastModified());
    }

    @Test
    void replacesAJarWhoseBytesWereChanged() throws IOException {
        File jar = BridgeJar.extract();
        Files.write(jar.toPath(), new byte[] {'P', 'K'});
        assertEquals(jar, BridgeJar.extract());
        assertArrayEquals(nested(), Files.readAllBytes(jar.toPath()));
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws IOException {
        Path dir = tmp.resolve("metrics-agent-" + System.getProperty("user.name"));
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        File jar = BridgeJar.extract();
        assertFalse(jar.toPath().startsWith(dir), jar.toString());
        assertTrue(jar.getName().startsWith("metrics-agent-bootstrap"), jar.getName());
        assertArrayEquals(nested(), Files.readAllBytes(jar.toPath()));
    }
}
