package io.metricsagent.agent.metrics;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.bootstrap.GaugeBridge;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.Test;

class GaugeSourcesTest {

    @Test
    void withNoScrapeTheHeldReferencesStayBoundedByTheLiveInstances() {
        GaugeSources gauges = new GaugeSources(1000, 128);
        int id = gauges.setInstanceGauges(Pool.class.getClassLoader(), Pool.class.getName(), List.of(spec("size", "test_churn")));
        int perRound = 10_000;
        List<Pool> kept = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < perRound; i++) {
                Pool pool = new Pool(1);
                GaugeBridge.track(id, pool);
                if (i % 1000 == 0) {
                    kept.add(pool);
                }
            }
            System.gc();
            // Pruning leaves at most the instances not yet collected: this round's and the kept ones.
            assertTrue(gauges.instancesHeld() <= 2 * (perRound + kept.size()),
                    "round " + round + ": " + gauges.instancesHeld() + " references held for " + kept.size() + " live instances");
        }
        assertEquals(Map.of("test_churn", 200.0), values(gauges));
        assertEquals(200, gauges.instancesHeld());
        Reference.reachabilityFence(kept);
    }

    /**
     * Instances made before their class was woven are learned from their calls: each once, however
     * often it calls, with the ones its constructor also handed over counted once, and at most
     * {@link GaugeSources#LEARNED_MAX} of them.
     */
    @Test
    void instancesAreLearnedFromTheirCallsOnceEachAndBoundedly() {
        GaugeSources gauges = new GaugeSources(1000, 128);
        int id = gauges.setInstanceGauges(Pool.class.getClassLoader(), Pool.class.getName(), List.of(spec("size", "test_learned")));
        List<Pool> older = new ArrayList<>();
        for (int i = 0; i < GaugeSources.LEARNED_MAX + 4; i++) {
            older.add(new Pool(1));
        }
        Pool constructed = new Pool(100);
        GaugeBridge.track(id, constructed);
        for (int call = 0; call < 3; call++) {
            GaugeBridge.seen(id, constructed);
            for (Pool pool : older.subList(0, 2)) {
                GaugeBridge.seen(id, pool);
            }
        }
        assertEquals(Map.of("test_learned", 102.0), values(gauges));
        for (Pool pool : older) {
            GaugeBridge.seen(id, pool);
        }
        // The constructed one took a place of its own among those learned.
        assertEquals(Map.of("test_learned", 100.0 + GaugeSources.LEARNED_MAX - 1), values(gauges));
        Reference.reachabilityFence(older);
        Reference.reachabilityFence(constructed);
    }

    @Test
    void aDroppedLoaderIsCollectedAndItsGaugesLeave() throws Exception {
        GaugeSources gauges = new GaugeSources(1000, 128);
        WeakReference<ClassLoader> plugin = loadTrackAndRead(gauges);
        for (int i = 0; i < 200 && plugin.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(plugin.get(), "the plugin's loader is still reachable");
        assertEquals(Map.of(), values(gauges));
    }

    private static WeakReference<ClassLoader> loadTrackAndRead(GaugeSources gauges) throws Exception {
        String name = UnloadableGauges.class.getName();
        ClassLoader plugin = new OwnCopyLoader(name);
        gauges.setStaticGauges(plugin, name, List.of(spec("jobs", "test_unload_static")));
        // Labelled by the instance: what its label path resolved to must not hold the loader either.
        int id = gauges.setInstanceGauges(plugin, name, List.of(GaugeSpec.of("active", "test_unload_instance", "",
                new String[] {"plugin=this.name"}, false)));
        Object instance = Class.forName(name, true, plugin).getDeclaredConstructor().newInstance();
        GaugeBridge.track(id, instance);
        // Enough reads for JDK 17's reflection to switch to generated accessor classes.
        for (int i = 0; i < 20; i++) {
            gauges.collect();
        }
        assertEquals(Map.of("test_unload_instance", 3.0, "test_unload_static", 2.0), values(gauges));
        return new WeakReference<>(plugin);
    }

    @Test
    void runTimeSubclassesAreNotReadWhileACompiledInstanceIsLive() throws Exception {
        GaugeSources gauges = new GaugeSources(1000, 128);
        int id = gauges.setInstanceGauges(Pool.class.getClassLoader(), Pool.class.getName(),
                List.of(spec("size", "test_proxied_public"), spec("twice", "test_proxied_private")));
        Pool target = new Pool(4);
        // What Spring does with spring.objenesis.ignore=true: a subclass defined beside the class,
        // created through its constructor, its overridable methods forwarding to the target.
        Pool proxy = forwardingSubclass().getConstructor(int.class).newInstance(7);
        Pool named = new Pool$$Proxy(7);
        Pool subclass = new BigPool(10);
        for (Pool pool : List.of(target, proxy, named, subclass)) {
            GaugeBridge.track(id, pool);
        }
        assertEquals(4, proxy.size());
        assertEquals(Map.of("test_proxied_public", 14.0, "test_proxied_private", 28.0), values(gauges));
        Reference.reachabilityFence(List.of(target, proxy, named, subclass));
    }

    @Test
    void runTimeSubclassesAreReadWhenNoCompiledInstanceIsLive() throws Exception {
        GaugeSources gauges = new GaugeSources(1000, 128);
        int id = gauges.setInstanceGauges(Pool.class.getClassLoader(), Pool.class.getName(), List.of(spec("twice", "test_enhanced")));
        // A class only ever created as its enhanced subclass, as Spring does with @Configuration classes.
        Pool enhanced = forwardingSubclass().getConstructor(int.class).newInstance(5);
        Pool named = new Pool$$Proxy(6);
        GaugeBridge.track(id, enhanced);
        GaugeBridge.track(id, named);
        assertEquals(Map.of("test_enhanced", 22.0), values(gauges));
        Reference.reachabilityFence(enhanced);
        Reference.reachabilityFence(named);
    }

    @Test
    void aClassWovenAgainReplacesItsGaugesAndKeepsItsInstances() {
        GaugeSources gauges = new GaugeSources(1000, 128);
        ClassLoader loader = Pool.class.getClassLoader();
        String name = Pool.class.getName();
        int id = gauges.setInstanceGauges(loader, name, List.of(spec("size", "test_replaced_before")));
        gauges.setStaticGauges(loader, name, List.of(spec("count", "test_replaced_static_before")));
        Pool three = new Pool(3);
        GaugeBridge.track(id, three);
        assertEquals(Map.of("test_replaced_before", 3.0, "test_replaced_static_before", 42.0), values(gauges));

        // Woven again (a retransformation): the same id, the instance tracked before read with the new accessors.
        assertEquals(id, gauges.setInstanceGauges(loader, name, List.of(spec("twice", "test_replaced_after"))));
        gauges.setStaticGauges(loader, name, List.of(spec("count", "test_replaced_static_after")));
        Pool four = new Pool(4);
        GaugeBridge.track(id, four);
        assertEquals(Map.of("test_replaced_after", 14.0, "test_replaced_static_after", 42.0), values(gauges));

        // Woven again with no gauges: nothing is read, and the constructors track nothing.
        assertEquals(-1, gauges.setInstanceGauges(loader, name, List.of()));
        gauges.setStaticGauges(loader, name, List.of());
        assertEquals(Map.of(), values(gauges));

        // And with gauges once more: the instances tracked all along are read again.
        assertEquals(id, gauges.setInstanceGauges(loader, name, List.of(spec("size", "test_replaced_again"))));
        assertEquals(Map.of("test_replaced_again", 7.0), values(gauges));
        gauges.forget(loader, name);
        assertEquals(Map.of(), values(gauges));
        Reference.reachabilityFence(three);
        Reference.reachabilityFence(four);
    }

    @Test
    void theSameClassInAnotherLoaderHasGaugesOfItsOwn() throws Exception {
        GaugeSources gauges = new GaugeSources(1000, 128);
        String name = UnloadableGauges.class.getName();
        ClassLoader first = new OwnCopyLoader(name);
        ClassLoader second = new OwnCopyLoader(name);
        gauges.setStaticGauges(first, name, List.of(spec("jobs", "test_two_loaders")));
        gauges.setStaticGauges(second, name, List.of(spec("jobs", "test_two_loaders")));
        int firstId = gauges.setInstanceGauges(first, name, List.of(spec("active", "test_two_loaders_instance")));
        int secondId = gauges.setInstanceGauges(second, name, List.of(spec("active", "test_two_loaders_instance")));
        assertTrue(firstId != secondId);
        assertEquals(Map.of("test_two_loaders", 4.0), values(gauges));
        Reference.reachabilityFence(List.of(first, second));
    }

    @Test
    void labelsReadFromInstancesGiveOneSeriesPerLabelSetSummedOverTheInstancesThatShareIt() {
        GaugeSources gauges = new GaugeSources(1000, 8);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("database", "orders_db");
        labels.put("pool", "this.poolName");
        int id = gauges.setInstanceGauges(NamedPool.class.getClassLoader(), NamedPool.class.getName(),
                List.of(GaugeSpec.of("active", "test_by_pool", "", labels, false)));
        List<NamedPool> pools = List.of(new NamedPool("orders", 3, null), new NamedPool("orders", 2, null),
                new NamedPool("reports", 1, null), new NamedPool(null, 4, null), new NamedPool("a-long-pool-name", 6, null));
        for (NamedPool pool : pools) {
            GaugeBridge.track(id, pool);
        }
        Map<String, Double> expected = Map.of(
                "test_by_pool{database=orders_db,pool=orders}", 5.0,
                "test_by_pool{database=orders_db,pool=reports}", 1.0,
                "test_by_pool{database=orders_db,pool=unknown}", 4.0,
                "test_by_pool{database=orders_db,pool=a-long-p}", 6.0);
        assertEquals(expected, series(gauges));
        assertEquals(1L, gauges.unknownLabels().get("test_by_pool"));

        // A collected instance's series leaves at the next scrape.
        Reference.reachabilityFence(pools);
        pools = null;
        NamedPool kept = new NamedPool("orders", 7, null);
        GaugeBridge.track(id, kept);
        for (int i = 0; i < 200 && series(gauges).size() > 1; i++) {
            System.gc();
        }
        assertEquals(Map.of("test_by_pool{database=orders_db,pool=orders}", 7.0), series(gauges));
        Reference.reachabilityFence(kept);
    }

    @Test
    void labelSetsBeyondMaxSeriesAreSummedIntoTheOverflowSeries() {
        GaugeSources gauges = new GaugeSources(2, 128);
        int id = gauges.setInstanceGauges(NamedPool.class.getClassLoader(), NamedPool.class.getName(),
                List.of(GaugeSpec.of("active", "test_bounded", "", new String[] {"pool=this.poolName", "k=v"}, false)));
        List<NamedPool> pools = List.of(new NamedPool("a", 1, null), new NamedPool("b", 2, null),
                new NamedPool("c", 3, null), new NamedPool("d", 4, null), new NamedPool("a", 5, null));
        for (NamedPool pool : pools) {
            GaugeBridge.track(id, pool);
        }
        assertEquals(Map.of("test_bounded{k=v,pool=a}", 6.0, "test_bounded{k=v,pool=b}", 2.0,
                "test_bounded{k=v,pool=__overflow__}", 7.0), series(gauges));
        Reference.reachabilityFence(pools);
    }

    @Test
    void aLabelThatCannotBeReadIsUnknownAndCounted() {
        GaugeSources gauges = new GaugeSources(1000, 128);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("region", "this.settings.region");      // a getter, through a field
        labels.put("primary", "this.settings.primary");    // isPrimary()
        labels.put("broken", "this.settings.broken");      // throws
        labels.put("missing", "this.nope");                // resolves on nothing
        labels.put("pool", "this");                        // toString()
        int id = gauges.setInstanceGauges(NamedPool.class.getClassLoader(), NamedPool.class.getName(),
                List.of(GaugeSpec.of("active", "test_unknown_labels", "", labels, false)));
        NamedPool configured = new NamedPool("orders", 3, new Settings("eu"));
        NamedPool bare = new NamedPool("reports", 1, null);
        GaugeBridge.track(id, configured);
        GaugeBridge.track(id, bare);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Map<String, Double> first;
        try {
            first = series(gauges);
            assertEquals(first, series(gauges));
        } finally {
            System.setErr(original);
        }
        assertEquals(Map.of(
                "test_unknown_labels{broken=unknown,missing=unknown,pool=pool orders,primary=true,region=eu}", 3.0,
                "test_unknown_labels{broken=unknown,missing=unknown,pool=pool reports,primary=unknown,region=unknown}", 1.0),
                first);
        // Two scrapes of two instances: the configured one's broken and missing, the bare one's four.
        assertEquals(12L, gauges.unknownLabels().get("test_unknown_labels"));
        assertEquals("[metrics-agent] gauge test_unknown_labels: label missing (this.nope) is unknown on "
                + NamedPool.class.getName() + ": no getter or field 'nope' on " + NamedPool.class.getName() + "\n",
                err.toString(StandardCharsets.UTF_8));
        Reference.reachabilityFence(List.of(configured, bare));
    }

    @Test
    void aLabelReadFromTheInstanceNeedsAnInstanceMethodAndAPath() {
        IllegalArgumentException onStatic = assertThrows(IllegalArgumentException.class,
                () -> GaugeSpec.of("count", "test_static_path", "", new String[] {"pool=this.poolName"}, true));
        assertEquals("label 'pool' reads the instance (this.poolName), and count() is static", onStatic.getMessage());
        IllegalArgumentException notAPath = assertThrows(IllegalArgumentException.class,
                () -> GaugeSpec.of("size", "test_bad_path", "", new String[] {"pool=this.pool name"}, false));
        assertEquals("path 'this.pool name' is not of the form name.name...", notAPath.getMessage());
        assertEquals(List.of("database", "pool"), GaugeSpec.of("size", "test_constants", "",
                new String[] {"database=this_db", "pool=thisPool"}, true).labelNames());
    }

    private static Class<? extends Pool> forwardingSubclass() throws IllegalAccessException {
        return new ByteBuddy()
                .subclass(Pool.class)
                .method(named("size")).intercept(FixedValue.value(4))
                .make()
                .load(Pool.class.getClassLoader(),
                        ClassLoadingStrategy.UsingLookup.of(MethodHandles.privateLookupIn(Pool.class, MethodHandles.lookup())))
                .getLoaded();
    }

    private static GaugeSpec spec(String methodName, String name) {
        return GaugeSpec.of(methodName, name, "", new String[0], false);
    }

    /** Each series as {@code name{k=v,...}}, labels in order, and its value. */
    private static Map<String, Double> series(GaugeSources gauges) {
        Map<String, Double> series = new TreeMap<>();
        for (MetricSnapshot snapshot : gauges.collect()) {
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                StringJoiner labels = new StringJoiner(",", "{", "}");
                point.getLabels().forEach(label -> labels.add(label.getName() + "=" + label.getValue()));
                series.put(snapshot.getMetadata().getName() + labels, ((GaugeDataPointSnapshot) point).getValue());
            }
        }
        return series;
    }

    private static Map<String, Double> values(GaugeSources gauges) {
        Map<String, Double> values = new TreeMap<>();
        for (MetricSnapshot snapshot : gauges.collect()) {
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                values.merge(snapshot.getMetadata().getName(), ((GaugeDataPointSnapshot) point).getValue(), Double::sum);
            }
        }
        return values;
    }

    public static class Pool {
        private final int size;

        public Pool(int size) {
            this.size = size;
        }

        public int size() {
            return size;
        }

        static long count() {
            return 42;
        }

        private int twice() {
            return 2 * size;
        }
    }

    /** HikariCP's shape: the name in a private field of a package-private superclass. */
    abstract static class NamedBase {
        private final String poolName;
        final Settings settings;

        NamedBase(String poolName, Settings settings) {
            this.poolName = poolName;
            this.settings = settings;
        }

        @Override
        public String toString() {
            return "pool " + poolName;
        }
    }

    public static final class NamedPool extends NamedBase {
        private final int active;

        NamedPool(String poolName, int active, Settings settings) {
            super(poolName, settings);
            this.active = active;
        }

        int active() {
            return active;
        }
    }

    static final class Settings {
        private final String region;

        Settings(String region) {
            this.region = region;
        }

        String getRegion() {
            return region;
        }

        boolean isPrimary() {
            return true;
        }

        String broken() {
            throw new IllegalStateException("not configured");
        }
    }

    /** Compiled, with a class file, but named as proxy libraries name their classes. */
    static class Pool$$Proxy extends Pool {
        Pool$$Proxy(int size) {
            super(size);
        }
    }

    static class BigPool extends Pool {
        BigPool(int size) {
            super(size);
        }
    }

    /** Defines one class itself, from the class file its parent has; everything else comes from the parent. */
    private static final class OwnCopyLoader extends ClassLoader {
        private final String className;

        OwnCopyLoader(String className) {
            super(OwnCopyLoader.class.getClassLoader());
            this.className = className;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(className)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = classFile(name);
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                return c;
            }
        }

        private byte[] classFile(String name) {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
