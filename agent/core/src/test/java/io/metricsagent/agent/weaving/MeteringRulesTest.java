package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.MeteredRecipe;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.Preset;
import io.metricsagent.agent.metrics.AgentMetrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a reload of the configuration file weaves again, with loaded classes of a package that is
 * not the agent's (the agent never retransforms its own) and an Instrumentation that only records
 * what it is asked to retransform.
 */
class MeteringRulesTest {

    /** Defines the shop's classes from the files it is given and serves those files, as an application's loader does. */
    private static final class ShopLoader extends ClassLoader {
        private final Map<String, byte[]> files = new HashMap<>();

        ShopLoader() {
            super(MeteringRulesTest.class.getClassLoader());
        }

        Class<?> define(String internalName, String superName, String[] interfaces, String annotation) {
            ClassWriter writer = new ClassWriter(0);
            int access = Opcodes.ACC_PUBLIC | (superName == null ? Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT : Opcodes.ACC_SUPER);
            writer.visit(Opcodes.V11, access, internalName, null, superName == null ? "java/lang/Object" : superName, interfaces);
            if (annotation != null) {
                writer.visitAnnotation(annotation, true).visitEnd();
            }
            writer.visitEnd();
            byte[] file = writer.toByteArray();
            files.put(internalName + ".class", file);
            return defineClass(internalName.replace('/', '.'), file, 0, file.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] file = files.get(name);
            return file == null ? super.getResourceAsStream(name) : new ByteArrayInputStream(file);
        }
    }

    private final ShopLoader loader = new ShopLoader();
    private final Class<?> basket = loader.define("shop/Basket", null, null, null);
    private final Class<?> orders = loader.define("shop/Orders", "java/lang/Object", null, null);
    private final Class<?> refunds = loader.define("shop/Refunds", "java/lang/Object", null, "Lshop/Audited;");
    private final Class<?> cart = loader.define("shop/Cart", "java/lang/Object", new String[] {"shop/Basket"}, null);
    private final Class<?> pool = loader.define("shop/Pool", "java/lang/Object", null, null);
    private final Class<?> locked = loader.define("shop/Locked", "java/lang/Object", null, null);
    private final List<String> retransformed = new ArrayList<>();
    /** Classes the fake JVM refuses to retransform. */
    private final Set<Class<?>> refused = new HashSet<>();
    private final Instrumentation inst = (Instrumentation) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "getAllLoadedClasses":
                        // A class of the boot loader, the agent's own, and one the JVM cannot modify are never candidates.
                        return new Class<?>[] {String.class, basket, orders, MeteringRules.class, refunds, cart, pool, locked};
                    case "isModifiableClass":
                        return args[0] != locked;
                    case "retransformClasses":
                        for (Class<?> type : (Class<?>[]) args[0]) {
                            if (refused.contains(type)) {
                                throw new UnmodifiableClassException("refused for the test");
                            }
                            retransformed.add(type.getName());
                        }
                        return null;
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });

    private final Weaving weaving = WeavingSupport.newWeaving();

    @RegisterExtension
    final Stderr stderr = new Stderr();

    private static MethodRule rule(int line, String classPattern, String supertype, String annotation, String counter) {
        return new MethodRule("metrics-agent.yml line " + line,
                new MethodRule.Selection(classPattern, supertype, annotation, "*", null, List.of()),
                MeteredRecipe.named(counter).build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null);
    }

    private static GaugeRule gauge(int line, String className, String name) {
        return new GaugeRule("metrics-agent.yml line " + line, className, "size", name, null, Map.of());
    }

    /** {added, removed, classes} of the replace, then the classes it retransformed. */
    private String replace(List<MethodRule> rules, List<GaugeRule> gauges) {
        retransformed.clear();
        MeteringRules.Change change = weaving.rules.replace(inst, rules, gauges);
        return change.added + " " + change.removed + " " + change.classes + " " + retransformed;
    }

    @Test
    void aRuleAddedKeptMovedChangedAndRemoved() {
        MethodRule ordersRule = rule(3, "shop.Orders", null, null, "orders_total");
        assertEquals("1 0 1 [shop.Orders]", replace(List.of(ordersRule), List.of()));
        assertEquals(Map.of("metrics-agent.yml:3", 0), weaving.rules.methodsByRule());
        assertEquals("0 0 0 []", replace(List.of(ordersRule), List.of()));
        // The same rule on another line of the file is the same rule, now named by its new line.
        assertEquals("0 0 0 []", replace(List.of(rule(9, "shop.Orders", null, null, "orders_total")), List.of()));
        assertEquals(Map.of("metrics-agent.yml:9", 0), weaving.rules.methodsByRule());
        // A changed rule is one removed and one added; its class is woven again once.
        assertEquals("1 1 1 [shop.Orders]", replace(List.of(rule(9, "shop.Orders", null, null, "placed_total")), List.of()));
        assertEquals("1 1 2 [shop.Orders, shop.Refunds]",
                replace(List.of(rule(9, "shop.Refunds", null, null, "placed_total")), List.of()));
        assertEquals("0 1 1 [shop.Refunds]", replace(List.of(), List.of()));
        assertEquals(Map.of(), weaving.rules.methodsByRule());
        assertEquals("", stderr.text());
    }

    /** A reload replaces the file's rules and gauges; a preset put in force stays, and is not woven again. */
    @Test
    void aReloadLeavesThePresetsInForce() {
        useOrdersPreset("shop.Orders");
        weaving.putInForcePresetOf("shop/Orders");
        MethodRule fileRule = rule(3, "shop.Refunds", null, null, "refunds_total");
        retransformed.clear();
        MeteringRules.Change change = weaving.replace(inst, List.of(fileRule), List.of());
        assertEquals("1 0 1 [shop.Refunds]", change.added + " " + change.removed + " " + change.classes + " " + retransformed);
        assertEquals(Map.of("metrics-agent.yml:3", 0, "preset:p.yml:2", 0), weaving.rules.methodsByRule());
        retransformed.clear();
        change = weaving.replace(inst, List.of(), List.of());
        assertEquals("0 1 1 [shop.Refunds]", change.added + " " + change.removed + " " + change.classes + " " + retransformed);
        assertEquals(Map.of("preset:p.yml:2", 0), weaving.rules.methodsByRule());
    }

    /**
     * After an attach, the presets of the classes loaded are in force before any class is chosen:
     * a class the preset's rule selects is woven though it comes before the preset's own class.
     */
    @Test
    void anAttachPutsInForceThePresetsOfTheClassesLoadedFirst() {
        useOrdersPreset("shop.Pool");
        assertEquals(1, LoadedClasses.retransform(weaving, inst, LoadedClasses.toWeave(weaving)));
        assertEquals(List.of("shop.Orders"), retransformed);
    }

    /** A preset put in force by the class {@code trigger}, whose one rule meters shop.Orders. */
    private void useOrdersPreset(String trigger) {
        MethodRule presetRule = new MethodRule("preset:p.yml line 2",
                new MethodRule.Selection("shop.Orders", null, null, "*", null, List.of()),
                MeteredRecipe.named("preset_orders").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null);
        weaving.use(List.of(), List.of(), List.of(new Preset("p", List.of(trigger), List.of()) {
            @Override
            public Contents read() {
                return new Contents(List.of(presetRule), List.of());
            }
        }));
    }

    /** The classes a replace from no rules to this one reweaves. */
    private String selected(MethodRule only) {
        weaving.rules.use(List.of());
        return replace(List.of(only), List.of());
    }

    /** A class file implementing {@code anInterface} (or none) that declares one method of no parameters. */
    private static byte[] declaring(String internalName, String anInterface, String method) {
        return declaring(internalName, anInterface, method, "()V");
    }

    static byte[] declaring(String internalName, String anInterface, String method, String descriptor) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object",
                anInterface == null ? null : new String[] {anInterface});
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, method, descriptor, null, null).visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void aRuleBySupertypeLooksOnlyAtClassesThatDeclareAMethodItMaySelect() {
        byte[] till = declaring("shop/Till", "shop/Basket", "checkout");
        byte[] trolley = declaring("shop/Trolley", "shop/Basket", "total");
        byte[] ledger = declaring("shop/Ledger", null, "checkout");
        for (String method : List.of("checkout", "check*")) {
            weaving.rules.use(List.of(new MethodRule("metrics-agent.yml line 1",
                    new MethodRule.Selection(null, "shop.Basket", null, method, null, List.of()),
                    MeteredRecipe.named("a_total").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null)));
            assertEquals(List.of(true, false, false), List.of(weaving.rules.mayConcern(loader, "shop/Till", till),
                    weaving.rules.mayConcern(loader, "shop/Trolley", trolley),
                    weaving.rules.mayConcern(loader, "shop/Ledger", ledger)), method);
        }
        // With parameters, only a class that declares a method of those parameters: checkout() is not checkout(String).
        weaving.rules.use(List.of(new MethodRule("metrics-agent.yml line 1",
                new MethodRule.Selection(null, "shop.Basket", null, "checkout", List.of("java.lang.String"), List.of()),
                MeteredRecipe.named("a_total").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null)));
        assertEquals(false, weaving.rules.mayConcern(loader, "shop/Till", till));
        byte[] tillByName = declaring("shop/Till", "shop/Basket", "checkout", "(Ljava/lang/String;)V");
        assertEquals(true, weaving.rules.mayConcern(loader, "shop/Till", tillByName));
        // No name to look for: the supertype alone decides.
        weaving.rules.use(List.of(rule(1, null, "shop.Basket", null, "a_total")));
        assertEquals(List.of(true, true, false), List.of(weaving.rules.mayConcern(loader, "shop/Till", till),
                weaving.rules.mayConcern(loader, "shop/Trolley", trolley),
                weaving.rules.mayConcern(loader, "shop/Ledger", ledger)));
    }

    @Test
    void classesAreChosenByPatternAnnotationAndSupertype() {
        // Never the boot loader's, the agent's own, nor one the JVM cannot modify.
        assertEquals("1 0 5 [shop.Basket, shop.Orders, shop.Refunds, shop.Cart, shop.Pool]",
                selected(rule(1, "shop.*", null, null, "a_total")));
        assertEquals("1 0 1 [shop.Refunds]", selected(rule(1, null, null, "shop.Audited", "a_total")));
        // The supertype is one of its own: an interface's default methods are in its class file.
        assertEquals("1 0 2 [shop.Basket, shop.Cart]", selected(rule(1, null, "shop.Basket", null, "a_total")));
        // Every test of a rule must pass: its pattern and its supertype.
        assertEquals("1 0 0 []", selected(rule(1, "shop.O*", "shop.Basket", null, "a_total")));
        assertEquals("1 0 1 [shop.Cart]", selected(rule(1, "shop.C*", "shop.Basket", null, "a_total")));
        // A removed rule's classes are woven again as well as an added one's.
        assertEquals("1 1 2 [shop.Orders, shop.Cart]", replace(List.of(rule(1, "shop.Orders", null, null, "a_total")), List.of()));
    }

    @Test
    void gaugesAddedAndRemovedReweaveTheClassTheyName() {
        GaugeRule size = gauge(20, "shop.Pool", "pool_size");
        assertEquals("1 0 1 [shop.Pool]", replace(List.of(), List.of(size)));
        assertEquals(Map.of("metrics-agent.yml:20", 0), weaving.rules.methodsByRule());
        assertEquals("0 0 0 []", replace(List.of(), List.of(size)));
        assertEquals("1 1 1 [shop.Pool]", replace(List.of(), List.of(gauge(20, "shop.Pool", "pool_free"))));
        MethodRule ordersRule = rule(3, "shop.Orders", null, null, "orders_total");
        assertEquals("2 1 3 [shop.Orders, shop.Cart, shop.Pool]",
                replace(List.of(ordersRule), List.of(gauge(21, "shop.Cart", "cart_items"))));
        // A gauge naming a class that is not loaded reweaves nothing, nor one naming a class the JVM cannot modify.
        assertEquals("2 0 0 []", replace(List.of(ordersRule), List.of(gauge(21, "shop.Cart", "cart_items"),
                gauge(22, "shop.Missing", "missing"), gauge(23, "shop.Locked", "locked"))));
    }

    @Test
    void aClassTheJvmRefusesIsSaidAndNotCounted() {
        refused.add(orders);
        assertEquals("1 0 1 [shop.Refunds]", replace(List.of(rule(1, "shop.*s", null, null, "a_total")), List.of()));
        assertEquals(1, weaving.failures());
        assertEquals("[metrics-agent] shop.Orders is left uninstrumented: UnmodifiableClassException: refused for the test\n",
                stderr.text());
    }

    @Test
    void aReplaceThatChangesSomethingDropsWhatNothingDeclaresAnyMore() {
        AgentMetrics metrics = weaving.metrics;
        metrics.families().declareGauge("test_reload_probe", List.of());
        metrics.releaseGauges(List.of("test_reload_probe"));
        FamilySpec counter = FamilySpec.counter("test_reload_probe_total", "help").build();
        // Released but not dropped, the gauge still holds its name.
        assertEquals("0 0 0 []", replace(List.of(), List.of()));
        assertEquals("'test_reload_probe_total' clashes with the metric 'test_reload_probe' (gauge {}) already defined",
                assertThrows(IllegalArgumentException.class, () -> metrics.families().declare(List.of(counter))).getMessage());
        assertEquals("1 0 1 [shop.Orders]", replace(List.of(rule(3, "shop.Orders", null, null, "orders_total")), List.of()));
        metrics.families().declare(List.of(counter));
    }
}
