package io.metricsagent.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeJarTest {

    /** Stands for the nested jar, which is only there once the agent jar is packaged (AgentJarContentsIT checks it). */
    private static final byte[] BRIDGE = "PK\u0003\u0004 the bridge jar".getBytes(StandardCharsets.ISO_8859_1);

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

    @Test
    void writesOnceIntoAnOwnerOnlyDirectoryAndReusesIt() throws IOException {
        File first = BridgeJar.extract(BRIDGE);
        Path dir = tmp.resolve("metrics-agent-" + System.getProperty("user.name"));
        assertEquals(dir, first.toPath().getParent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertArrayEquals(BRIDGE, Files.readAllBytes(first.toPath()));
        long written = first.lastModified();

        File second = BridgeJar.extract(BRIDGE);
        assertEquals(first, second);
        assertEquals(written, second.lastModified());
    }

    @Test
    void replacesAJarWhoseBytesWereChanged() throws IOException {
        File jar = BridgeJar.extract(BRIDGE);
        Files.write(jar.toPath(), new byte[] {'P', 'K'});
        assertEquals(jar, BridgeJar.extract(BRIDGE));
        assertArrayEquals(BRIDGE, Files.readAllBytes(jar.toPath()));
        byte[] sameLength = BRIDGE.clone();
        sameLength[sameLength.length - 1] ^= 1;
        Files.write(jar.toPath(), sameLength);
        assertEquals(jar, BridgeJar.extract(BRIDGE));
        assertArrayEquals(BRIDGE, Files.readAllBytes(jar.toPath()));
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws IOException {
        Path dir = tmp.resolve("metrics-agent-" + System.getProperty("user.name"));
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        File jar = BridgeJar.extract(BRIDGE);
        assertFalse(jar.toPath().startsWith(dir), jar.toString());
        assertTrue(jar.getName().startsWith("metrics-agent-bootstrap"), jar.getName());
        assertArrayEquals(BRIDGE, Files.readAllBytes(jar.toPath()));
    }
}
