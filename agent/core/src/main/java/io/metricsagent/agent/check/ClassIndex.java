package io.metricsagent.agent.check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class files of the jars, wars and class directories given to the check, by name, served as
 * resources through a loader that never defines a class: the weaver reads class files through a
 * loader, and through this one it reads these and, from the platform loader, the JDK's, with
 * nothing of the application loaded. Only the central directory of each jar is read up front; a
 * class file is read when asked for. A Spring Boot jar's {@code BOOT-INF/classes} and nested
 * {@code BOOT-INF/lib} jars, and a war's {@code WEB-INF/classes} and {@code WEB-INF/lib} jars
 * (in an archive or a directory), are the classes the application's loader would see; where two
 * hold the same class the first wins, as on a class path: an archive's own classes, then its
 * libraries, in their order.
 */
public final class ClassIndex extends ClassLoader {

    private static final String[] CLASS_ROOTS = {"BOOT-INF/classes/", "WEB-INF/classes/"};
    private static final String[] LIBRARIES = {"BOOT-INF/lib/", "WEB-INF/lib/", "WEB-INF/lib-provided/"};
    private static final String CLASS = ".class";

    /** Where a class file lies. */
    private interface Source {
        byte[] read() throws IOException;
    }

    /** By internal name, in order. */
    private final Map<String, Source> classes = new TreeMap<>();
    private final URLStreamHandler handler = new ClassFileHandler();
    private int jars;
    private int directories;

    private ClassIndex() {
        super(ClassLoader.getPlatformClassLoader());
    }

    /**
     * @param inputs jars, wars and class directories, in class path order
     * @throws IOException naming an input, or a jar in one, that cannot be read
     */
    public static ClassIndex of(List<Path> inputs) throws IOException {
        ClassIndex index = new ClassIndex();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                index.addDirectory(input);
            } else {
                index.addArchive(ZipArchive.open(input));
            }
        }
        return index;
    }

    /** The internal names of the classes, sorted. */
    public Set<String> classNames() {
        return Collections.unmodifiableSet(classes.keySet());
    }

    /** How many classes, from how many jars (nested ones included) and directories. */
    public String describe() {
        String from = jars == 0 ? count(directories, "directory", "directories")
                : directories == 0 ? count(jars, "jar", "jars")
                : count(jars, "jar", "jars") + " and " + count(directories, "directory", "directories");
        return count(classes.size(), "class", "classes") + " from " + from;
    }

    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /**
     * The application's class files first: the platform loader would look for a name outside
     * the JDK's packages in every one of its modules, for every class, before this one was asked.
     */
    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    /** As {@link #getResource}, without making a URL for every class file read. */
    @Override
    public InputStream getResourceAsStream(String name) {
        Source source = source(name);
        if (source == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return new ByteArrayInputStream(source.read());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected URL findResource(String name) {
        if (source(name) == null) {
            return null;
        }
        try {
            return new URL("metrics-agent-check", null, -1, "/" + name, handler);
        } catch (MalformedURLException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Where the class file of that resource name lies, or {@code null}. */
    private Source source(String resource) {
        return resource.endsWith(CLASS) ? classes.get(resource.substring(0, resource.length() - CLASS.length())) : null;
    }

    private void addArchive(ZipArchive archive) throws IOException {
        jars++;
        List<ZipArchive.Entry> libraries = new ArrayList<>();
        for (ZipArchive.Entry entry : archive.entries) {
            if (isLibrary(entry.name)) {
                libraries.add(entry);
            } else {
                add(entry.name, () -> archive.bytes(entry));
            }
        }
        for (ZipArchive.Entry library : libraries) {
            addArchive(archive.nested(library));
        }
    }

    private void addDirectory(Path directory) throws IOException {
        directories++;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        List<Path> libraries = new ArrayList<>();
        for (Path file : files) {
            String name = directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            if (isLibrary(name)) {
                libraries.add(file);
            } else {
                add(name, () -> Files.readAllBytes(file));
            }
        }
        for (Path library : libraries) {
            addArchive(ZipArchive.open(library));
        }
    }

    private static boolean isLibrary(String name) {
        return name.endsWith(".jar") && startsWithAny(name, LIBRARIES);
    }

    /** Adds an archive's or directory's entry if it is a class file, named as its loader names it. */
    private void add(String name, Source source) {
        if (!name.endsWith(CLASS) || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
            return;
        }
        String internalName = name.substring(0, name.length() - CLASS.length());
        for (String root : CLASS_ROOTS) {
            if (internalName.startsWith(root)) {
                internalName = internalName.substring(root.length());
            }
        }
        classes.putIfAbsent(internalName, source);
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Opens the class files {@link #findResource} names. */
    private final class ClassFileHandler extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) {
            Source source = source(url.getPath().substring(1));
            return new URLConnection(url) {
                @Override
                public void connect() {
                    // Nothing to connect to: the class file is read when its stream is asked for.
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    return new ByteArrayInputStream(source.read());
                }
            };
        }
    }
}
