package io.metricsagent.it.plugin;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * Loads a plugin as a plugin host or a servlet container does, through a child-first loader of
 * its own, runs it, and once told to, unloads it: closes the loader, drops every reference, and
 * runs the collector until the loader is gone (at most 10 s). Then it stays up to be scraped.
 *
 * <p>Arguments: the plugin jar, how many payments the plugin makes, and a file whose creation
 * means "unload now". Prints {@code plugin ...} (what the plugin did), {@code loaded},
 * {@code collected true|false}, {@code ready}.
 */
public final class PluginHost {

    private static final String ENTRY = "io.metricsagent.it.plugin.impl.Plugin";
    private static final long SIGNAL_WAIT_MILLIS = 60_000;
    private static final long COLLECT_WAIT_MILLIS = 10_000;

    /** The host's registry of loaded plugins: the only references to the plugin. */
    private static URLClassLoader pluginLoader;
    private static Object plugin;

    private PluginHost() {}

    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(args[0]);
        int payments = Integer.parseInt(args[1]);
        Path unloadSignal = Paths.get(args[2]);

        WeakReference<ClassLoader> loader = load(jar, payments);
        System.out.println("loaded");
        awaitFile(unloadSignal);
        unload();
        System.out.println("collected " + collected(loader));
        System.out.println("ready");
        new CountDownLatch(1).await();
    }

    @SuppressWarnings("unchecked")
    private static WeakReference<ClassLoader> load(Path jar, int payments) throws Exception {
        pluginLoader = new ChildFirstLoader(jar.toUri().toURL(), PluginHost.class.getClassLoader());
        plugin = pluginLoader.loadClass(ENTRY).getDeclaredConstructor().newInstance();
        System.out.println(((IntFunction<String>) plugin).apply(payments));
        return new WeakReference<>(pluginLoader);
    }

    private static void unload() throws IOException {
        pluginLoader.close();
        pluginLoader = null;
        plugin = null;
    }

    private static boolean collected(WeakReference<ClassLoader> loader) throws InterruptedException {
        long deadline = System.currentTimeMillis() + COLLECT_WAIT_MILLIS;
        while (loader.get() != null && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        return loader.get() == null;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SIGNAL_WAIT_MILLIS;
        while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Looks in the plugin's jar first, then in the host, so the plugin keeps its own classes. */
    static final class ChildFirstLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        ChildFirstLoader(URL jar, ClassLoader parent) {
            super("plugin", new URL[] {jar}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
