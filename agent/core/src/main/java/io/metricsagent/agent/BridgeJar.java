package io.metricsagent.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * Puts the bridge jar, nested in the agent jar, on disk so that it can join the bootstrap class
 * path. It is written once per user and content into a directory only that user can write
 * ({@code $TMPDIR/metrics-agent-$USER}), and reused while its bytes stay the same: a fresh random
 * temporary file each start would cost the application ~20 ms of {@code SecureRandom} set-up, and
 * a shared, writable place would let another user put classes on our bootstrap path.
 */
final class BridgeJar {

    private static final String RESOURCE = "/META-INF/metrics-agent/bootstrap.jar";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private BridgeJar() {}

    static File extract() throws IOException {
        return extract(read());
    }

    /**
     * Puts {@code bytes} on disk as the bridge jar. Apart from {@link #extract()} for unit tests:
     * they run before the nested jar is packaged.
     */
    static File extract(byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        String user = System.getProperty("user.name", "");
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "metrics-agent-" + user);
        if (!user.isEmpty() && ownPrivateDirectory(dir, user)) {
            Path jar = dir.resolve("bootstrap-" + Long.toHexString(crc.getValue()) + ".jar");
            if (!Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS) || !holds(jar.toFile(), bytes)) {
                Path partial = dir.resolve(jar.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
                Files.write(partial, bytes);
                Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return jar.toFile();
        }
        File jar = File.createTempFile("metrics-agent-bootstrap", ".jar");
        jar.deleteOnExit();
        Files.write(jar.toPath(), bytes);
        return jar;
    }

    /** Read with a stream: {@code Files.readAllBytes} would load the channel classes for this alone. */
    private static boolean holds(File file, byte[] bytes) throws IOException {
        if (file.length() != bytes.length) {
            return false;
        }
        try (InputStream in = new FileInputStream(file)) {
            return Arrays.equals(in.readAllBytes(), bytes);
        }
    }

    private static boolean ownPrivateDirectory(Path dir, String user) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && user.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName())
                    && OWNER_ONLY.equals(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static byte[] read() throws IOException {
        byte[] bytes = readFromAgentJar();
        return bytes != null ? bytes : readResource();
    }

    /**
     * The nested jar read from the agent jar's own file, or {@code null} when this class does not
     * come from one. A resource read would first look for the name in every module of the JDK
     * (opening its image reader) and then go through {@code jar:} URLs: some 60 classes, 7 to 14
     * ms of premain.
     */
    private static byte[] readFromAgentJar() {
        try {
            CodeSource source = BridgeJar.class.getProtectionDomain().getCodeSource();
            File agentJar = source == null || source.getLocation() == null ? null : new File(source.getLocation().toURI());
            if (agentJar == null || !agentJar.isFile()) {
                return null;
            }
            try (JarFile jar = new JarFile(agentJar, false)) {
                JarEntry entry = jar.getJarEntry(RESOURCE.substring(1));
                if (entry == null) {
                    return null;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return in.readAllBytes();
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] readResource() throws IOException {
        try (InputStream in = BridgeJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
