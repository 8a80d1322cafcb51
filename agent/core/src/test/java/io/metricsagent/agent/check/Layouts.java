package io.metricsagent.agent.check;

import io.metricsagent.checkfixtures.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The check fixtures' class files laid out as check is given classes: a class directory, a jar, a
 * Spring Boot jar and a war. In the last two the types the application's classes extend and
 * carry are a library of their own, nested, so that a supertype walk crosses jars.
 */
final class Layouts {

    static final String PACKAGE = "io/metricsagent/checkfixtures/";
    private static final List<String> LIBRARY = List.of("Gateway", "Gateway$Customer", "Gateway$Order",
            "Gateway$Receipt", "BaseGateway", "Handler");

    private Layouts() {}

    /** The fixtures' class files, by entry name ({@code io/metricsagent/checkfixtures/Gateway.class}), sorted. */
    static Map<String, byte[]> classFiles() throws IOException {
        Path classes;
        try {
            classes = Paths.get(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(classes.resolve(PACKAGE))) {
            for (Path file : list.sorted().collect(Collectors.toList())) {
                files.put(PACKAGE + file.getFileName(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** Every layout, written under {@code dir}, with how the index describes what it read of it. */
    static Map<Path, String> all(Path dir) throws IOException {
        Map<Path, String> layouts = new LinkedHashMap<>();
        layouts.put(directory(dir.resolve("classes")), "8 classes from 1 directory");
        layouts.put(jar(dir.resolve("app.jar")), "8 classes from 1 jar");
        layouts.put(bootJar(dir.resolve("boot.jar")), "8 classes from 2 jars");
        layouts.put(war(dir.resolve("app.war")), "8 classes from 2 jars");
        return layouts;
    }

    static Path directory(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> file : classFiles().entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return dir;
    }

    static Path jar(Path file) throws IOException {
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> entry : classFiles().entrySet()) {
                add(jar, entry.getKey(), entry.getValue(), false);
            }
        }
        return file;
    }

    /** As Spring Boot lays out an executable jar: its nested jars stored, not compressed. */
    static Path bootJar(Path file) throws IOException {
        return archive(file, "BOOT-INF/classes/", "BOOT-INF/lib/", true);
    }

    /** As a war is usually packed: its nested jars compressed like any other entry. */
    static Path war(Path file) throws IOException {
        return archive(file, "WEB-INF/classes/", "WEB-INF/lib/", false);
    }

    private static Path archive(Path file, String classes, String lib, boolean storeLibrary) throws IOException {
        ByteArrayOutputStream library = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file));
                ZipOutputStream libraryJar = new ZipOutputStream(library)) {
            add(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(), false);
            for (Map.Entry<String, byte[]> entry : classFiles().entrySet()) {
                String simpleName = entry.getKey().substring(PACKAGE.length(), entry.getKey().length() - ".class".length());
                if (LIBRARY.contains(simpleName)) {
                    add(libraryJar, entry.getKey(), entry.getValue(), false);
                } else {
                    add(out, classes + entry.getKey(), entry.getValue(), false);
                }
            }
            libraryJar.finish();
            add(out, lib + "shop-api.jar", library.toByteArray(), storeLibrary);
        }
        return file;
    }

    static void add(ZipOutputStream zip, String name, byte[] contents, boolean stored) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(contents);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(contents.length);
            entry.setCompressedSize(contents.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(contents);
        zip.closeEntry();
    }

    /** A file of these bytes, then those of another: an executable jar's launch script before the zip. */
    static Path prepended(Path file, byte[] before, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(before);
            out.write(Files.readAllBytes(zip));
        }
        return file;
    }
}
