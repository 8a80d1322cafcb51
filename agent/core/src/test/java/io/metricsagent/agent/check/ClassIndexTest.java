package io.metricsagent.agent.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassIndexTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryAJarABootJarAndAWarHoldTheSameClasses() throws IOException {
        Map<String, byte[]> fixtures = Layouts.classFiles();
        List<String> names = new ArrayList<>();
        for (String entry : fixtures.keySet()) {
            names.add(entry.substring(0, entry.length() - ".class".length()));
        }
        names.sort(null);
        assertEquals(8, names.size(), names.toString());
        for (Map.Entry<Path, String> input : Layouts.all(dir).entrySet()) {
            ClassIndex index = ClassIndex.of(List.of(input.getKey()));
            assertEquals(names, new ArrayList<>(index.classNames()), input.getKey().toString());
            assertEquals(input.getValue(), index.describe());
            for (Map.Entry<String, byte[]> file : fixtures.entrySet()) {
                assertArrayEquals(file.getValue(), read(index, file.getKey()), input.getKey() + " " + file.getKey());
            }
        }
    }

    @Test
    void anExplodedBootJarIsReadAsTheJarItself() throws IOException {
        Path exploded = dir.resolve("exploded");
        try (ZipInputStream jar = new ZipInputStream(Files.newInputStream(Layouts.bootJar(dir.resolve("boot.jar"))))) {
            for (ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                Path file = exploded.resolve(entry.getName());
                Files.createDirectories(file.getParent());
                Files.write(file, jar.readAllBytes());
            }
        }
        ClassIndex index = ClassIndex.of(List.of(exploded));
        assertEquals(ClassIndex.of(List.of(dir.resolve("boot.jar"))).classNames(), index.classNames());
        assertEquals("8 classes from 1 jar and 1 directory", index.describe());
    }

    @Test
    void aClassInTwoInputsIsTheFirstOnes() throws IOException {
        Path first = Files.createDirectories(dir.resolve("first").resolve(Layouts.PACKAGE));
        Path second = Files.createDirectories(dir.resolve("second").resolve(Layouts.PACKAGE));
        Files.write(first.resolve("Gateway.class"), new byte[] {1});
        Files.write(second.resolve("Gateway.class"), new byte[] {2});
        ClassIndex index = ClassIndex.of(List.of(dir.resolve("first"), dir.resolve("second")));
        assertArrayEquals(new byte[] {1}, read(index, Layouts.PACKAGE + "Gateway.class"));
        assertEquals("1 class from 2 directories", index.describe());
    }

    /** The weaver reads the JDK's class files through the loader too; nothing is ever defined by it. */
    @Test
    void theJdksClassFilesAreServedAndNoClassIsLoaded() throws IOException {
        ClassIndex index = ClassIndex.of(List.of(Layouts.jar(dir.resolve("app.jar"))));
        assertEquals("jrt:/java.base/java/lang/Number.class", index.getResource("java/lang/Number.class").toString());
        assertTrue(read(index, "java/lang/Number.class").length > 0);
        String gateway = Layouts.PACKAGE + "Gateway.class";
        try (InputStream in = index.getResource(gateway).openStream()) {
            assertArrayEquals(Layouts.classFiles().get(gateway), in.readAllBytes());
        }
        assertThrows(ClassNotFoundException.class, () -> index.loadClass("io.metricsagent.checkfixtures.Gateway"));
        assertEquals(null, index.getResource(Layouts.PACKAGE + "Missing.class"));
    }

    /** An executable jar may start with a shell script; the zip's offsets then start after it. */
    @Test
    void aLaunchScriptBeforeTheZipIsPassedOver() throws IOException {
        Path executable = Layouts.prepended(dir.resolve("app"), "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(
                StandardCharsets.US_ASCII), Layouts.bootJar(dir.resolve("boot.jar")));
        ClassIndex index = ClassIndex.of(List.of(executable));
        assertEquals(8, index.classNames().size());
        assertArrayEquals(Layouts.classFiles().get(Layouts.PACKAGE + "Gateway.class"),
                read(index, Layouts.PACKAGE + "Gateway.class"));
    }

    /** More than 65535 entries take zip64's end records. */
    @Test
    void aZip64JarIsRead() throws IOException {
        Path jar = dir.resolve("big.jar");
        byte[] gateway = Layouts.classFiles().get(Layouts.PACKAGE + "Gateway.class");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(jar)))) {
            for (int i = 0; i < 70_000; i++) {
                Layouts.add(out, "data/" + i, new byte[0], true);
            }
            Layouts.add(out, Layouts.PACKAGE + "Gateway.class", gateway, false);
        }
        byte[] bytes = Files.readAllBytes(jar);
        int plainEnd = bytes.length - 22;
        assertEquals(0xFFFF, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(plainEnd + 10) & 0xFFFF,
                "the entry count of the plain end record");
        ClassIndex index = ClassIndex.of(List.of(jar));
        assertEquals(List.of(Layouts.PACKAGE + "Gateway"), new ArrayList<>(index.classNames()));
        assertArrayEquals(gateway, read(index, Layouts.PACKAGE + "Gateway.class"));
    }

    @Test
    void aFileThatIsNoZipIsNamed() throws IOException {
        Path notAJar = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        IOException e = assertThrows(IOException.class, () -> ClassIndex.of(List.of(notAJar)));
        assertEquals(notAJar + " is not a zip file", e.getMessage());
    }

    private static byte[] read(ClassIndex index, String resource) throws IOException {
        try (InputStream in = index.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
