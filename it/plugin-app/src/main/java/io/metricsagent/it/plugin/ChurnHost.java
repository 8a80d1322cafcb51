package io.metricsagent.it.plugin;

import java.lang.ref.WeakReference;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * Deploys the churn plugin again and again, as an application server redeploys a web app: each
 * deployment in a child-first loader of its own, the one before closed and dropped first. The
 * last one stays deployed.
 *
 * <p>Arguments: the churn jar, how many deployments, the deployments after which to pause
 * (comma-separated), and a directory. At a pause the host collects until the loaders of every
 * earlier deployment are gone (at most 30 s), prints what the deployment did and
 * {@code deployment N alive M} (its loaders still alive, the deployed one's included), and waits
 * for the file {@code continue-N} in the directory. Then {@code done}, and it stays up.
 */
public final class ChurnHost {

    private static final String ENTRY = "io.metricsagent.it.plugin.churn.ChurnPlugin";
    private static final long SIGNAL_WAIT_MILLIS = 120_000;
    private static final long COLLECT_WAIT_MILLIS = 30_000;

    /** The deployed plugin: the host's only references to it. */
    private static URLClassLoader deployedLoader;
    private static Object deployed;

    private ChurnHost() {}

    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(args[0]);
        int deployments = Integer.parseInt(args[1]);
        Set<Integer> pauses = new HashSet<>();
        for (String pause : args[2].split(",")) {
            pauses.add(Integer.parseInt(pause));
        }
        Path dir = Paths.get(args[3]);

        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int deployment = 1; deployment <= deployments; deployment++) {
            if (deployedLoader != null) {
                deployedLoader.close();
                deployedLoader = null;
                deployed = null;
            }
            String result = deploy(jar, deployment);
            loaders.add(new WeakReference<>(deployedLoader));
            if (pauses.contains(deployment)) {
                System.out.println(result);
                System.out.println("deployment " + deployment + " alive " + collect(loaders));
                awaitFile(dir.resolve("continue-" + deployment));
            }
        }
        System.out.println("done");
        new CountDownLatch(1).await();
    }

    @SuppressWarnings("unchecked")
    private static String deploy(Path jar, int deployment) throws Exception {
        deployedLoader = new PluginHost.ChildFirstLoader(jar.toUri().toURL(), ChurnHost.class.getClassLoader());
        deployed = deployedLoader.loadClass(ENTRY).getDeclaredConstructor().newInstance();
        return ((IntFunction<String>) deployed).apply(deployment);
    }

    /** Collects until only the deployed loader is alive, or the wait is over; returns how many are. */
    private static int collect(List<WeakReference<ClassLoader>> loaders) throws InterruptedException {
        long deadline = System.currentTimeMillis() + COLLECT_WAIT_MILLIS;
        while (true) {
            loaders.removeIf(loader -> loader.get() == null);
            if (loaders.size() <= 1 || System.currentTimeMillis() > deadline) {
                return loaders.size();
            }
            System.gc();
            Thread.sleep(50);
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SIGNAL_WAIT_MILLIS;
        while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
