package io.metricsagent.agent.weaving;

import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a test's own weaving state, reads test classes' bytes, defines woven bytes in a loader of their own, and scrapes. */
final class WeavingSupport {

    private WeavingSupport() {}

    /** Weaving state of a test's own, into metrics of its own with the default options. */
    static Weaving newWeaving() {
        return new Weaving(new AgentMetrics(AgentOptions.defaults()));
    }

    /** Whether the class file names one of the agent's annotations: what a weaving with no rules in force is concerned with. */
    static boolean mentionsAnnotation(byte[] classFile) {
        return newWeaving().rules.mayConcern(null, "shop/Any", classFile);
    }

    static byte[] classBytes(String className) {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = WeavingSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls the method, throwing what it throws rather than its reflective wrapper. */
    static Object invoke(Method method, Object target, Object... args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Weaves the test class {@code className} and defines the result in a fresh child-first loader. */
    static Class<?> weaveAndDefine(Weaving weaving, String className) throws ClassNotFoundException {
        ClassLoader testLoader = WeavingSupport.class.getClassLoader();
        byte[] woven = ClassWeaver.weave(weaving, testLoader, className, classBytes(className));
        if (woven == null) {
            throw new AssertionError(className + " was not woven");
        }
        return Class.forName(className, true, new ChildFirstLoader(testLoader, className, woven));
    }

    /**
     * Puts the rules of a config file of this text, written in {@code dir}, in force; then weaves
     * the test class {@code className} and makes one with its no-argument constructor.
     */
    static Object configuredInstance(Weaving weaving, Path dir, String yaml, String className)
            throws IOException, ReflectiveOperationException {
        Path file = Files.writeString(dir.resolve("rules.yml"), yaml);
        AgentOptions options = AgentOptions.parse("config=" + file);
        if (options.configProblem() != null) {
            throw new AssertionError(options.configProblem());
        }
        weaving.rules.use(options.rules());
        return weaveAndDefine(weaving, className).getConstructor().newInstance();
    }

    /** Defines one class from the given bytes itself; everything else comes from the parent. */
    static final class ChildFirstLoader extends ClassLoader {
        private final String className;
        private final byte[] classFile;

        ChildFirstLoader(ClassLoader parent, String className, byte[] classFile) {
            super(parent);
            this.className = className;
            this.classFile = classFile;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(className)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = defineClass(name, classFile, 0, classFile.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** The text exposition of what {@code weaving} declared, only the sample lines containing every one of {@code fragments}. */
    static String scrapeLines(Weaving weaving, String... fragments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusRegistry registry = new PrometheusRegistry();
            weaving.metrics.register(registry);
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> kept = new ArrayList<>();
        for (String line : new String(out.toByteArray(), StandardCharsets.UTF_8).split("\n")) {
            boolean all = true;
            for (String fragment : fragments) {
                all &= line.contains(fragment);
            }
            if (all) {
                kept.add(line);
            }
        }
        return String.join("\n", kept);
    }
}
