package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.classBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.bootstrap.GaugeBridge;
import io.metricsagent.bootstrap.MeterBridge;
import io.metricsagent.testfixtures.OutsidePayments;
import java.lang.ref.WeakReference;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class MeteredClassTransformerTest {

    private final Weaving weaving = WeavingSupport.newWeaving();

    @Test
    void mentionsMeteredPayment() {
        assertTrue(WeavingSupport.mentionsAnnotation(classBytes(EurPayments.class.getName())));
        assertTrue(WeavingSupport.mentionsAnnotation(classBytes(OutsidePayments.class.getName())));
    }

    @Test
    void mentionsMeteredGauge() {
        assertTrue(WeavingSupport.mentionsAnnotation(classBytes(GaugedPool.class.getName())));
    }

    @Test
    void plainClassDoesNotMention() {
        assertFalse(WeavingSupport.mentionsAnnotation(classBytes(PlainFixture.class.getName())));
        assertFalse(WeavingSupport.mentionsAnnotation(classBytes(WeavingSupport.class.getName())));
        assertFalse(WeavingSupport.mentionsAnnotation(new byte[0]));
        assertFalse(WeavingSupport.mentionsAnnotation(new byte[] {'L', 'i', 'o'}));
    }

    @Test
    void transformSkipsOwnPackagesBootstrapLoaderAndPlainClasses() {
        MeteredClassTransformer transformer = new MeteredClassTransformer(weaving);
        ClassLoader loader = getClass().getClassLoader();
        // Annotated, but in the agent's own package.
        assertNull(transformer.transform(loader, "io/metricsagent/agent/weaving/EurPayments", null, null,
                classBytes(EurPayments.class.getName())));
        // Annotated, but loaded by the bootstrap loader.
        assertNull(transformer.transform(null, "io/metricsagent/testfixtures/OutsidePayments", null, null,
                classBytes(OutsidePayments.class.getName())));
        assertNull(transformer.transform(loader, "io/metricsagent/agent/weaving/PlainFixture", null, null,
                classBytes(PlainFixture.class.getName())));
        assertNull(transformer.transform(loader, null, null, null, classBytes(OutsidePayments.class.getName())));
        assertEquals(0, weaving.failures());
    }

    @Test
    void transformWeavesAnnotatedClassOutsideOwnPackages() {
        byte[] original = classBytes(OutsidePayments.class.getName());
        byte[] woven = new MeteredClassTransformer(weaving).transform(getClass().getClassLoader(),
                "io/metricsagent/testfixtures/OutsidePayments", null, null, original);
        assertNotNull(woven);
        assertTrue(woven.length > original.length, "woven class file grows by the inlined advice");
        assertEquals(0, weaving.failures());
    }

    /**
     * A class the transformer saw load was woven then (or failed then): the retransformation after
     * an attach passes it over, while one loaded before the transformer existed is chosen.
     */
    @Test
    void theAttachRetransformsOnlyAnnotatedClassesTheTransformerDidNotSeeLoad() {
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
        byte[] annotated = classBytes(GaugedPool.class.getName());
        String name = "io/metricsagent/testfixtures/SeenLater";
        LoadedClasses.Selector selector = LoadedClasses.toWeave(weaving);
        assertTrue(selector.selects(loader, name, annotated));
        assertFalse(selector.selects(loader, name, classBytes(PlainFixture.class.getName())));

        new MeteredClassTransformer(weaving).transform(loader, name, null, null, annotated);
        assertFalse(selector.selects(loader, name, annotated));
        assertTrue(selector.selects(getClass().getClassLoader(), name, annotated), "same name, another loader");
    }

    /**
     * A web app redeployed: once the loader its classes were woven for is collected, their
     * recorders and gauge trackers leave the bridge, their methods leave the count, and the
     * transformer forgets it saw them load.
     */
    @Test
    void whatTheClassesOfACollectedLoaderRegisteredIsGivenUp() throws InterruptedException {
        int recorders = MeterBridge.registered();
        int trackers = GaugeBridge.registered();
        WeakReference<ClassLoader> loader = wovenInALoaderOfItsOwn();
        assertEquals(recorders + 1, MeterBridge.registered());
        assertEquals(trackers + 1, GaugeBridge.registered());
        assertEquals(1, weaving.instrumentedMethods());

        for (long deadline = System.nanoTime() + 10_000_000_000L; loader.get() != null && System.nanoTime() < deadline; ) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(loader.get(), "the loader was not collected");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (weaving.instrumentedMethods() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the collected loader's reference is queued by the JDK's own thread
        }
        assertEquals(0, weaving.instrumentedMethods());
        assertEquals(recorders, MeterBridge.registered());
        assertEquals(trackers, GaugeBridge.registered());
    }

    private WeakReference<ClassLoader> wovenInALoaderOfItsOwn() {
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
        MeteredClassTransformer transformer = new MeteredClassTransformer(weaving);
        assertNotNull(transformer.transform(loader, "io/metricsagent/testfixtures/OutsidePayments", null, null,
                classBytes(OutsidePayments.class.getName())));
        assertNotNull(transformer.transform(loader, "io/metricsagent/testfixtures/GaugedPool", null, null,
                classBytes(GaugedPool.class.getName())));
        return new WeakReference<>(loader);
    }

    @Test
    void transformCountsAFailureAndReturnsNullForABrokenClassFile() {
        byte[] broken = "not a class but mentions Lio/metricsagent/api/MeteredPayment; anyway"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertNull(new MeteredClassTransformer(weaving).transform(getClass().getClassLoader(),
                "io/metricsagent/testfixtures/Broken", null, null, broken));
        assertEquals(1, weaving.failures());
    }

    @Test
    void mentionsMetered() {
        assertTrue(WeavingSupport.mentionsAnnotation(classBytes(OrderDesk.class.getName())));
    }

    /**
     * A method of 65,531 bytes of code fits a class file; with the woven calls it does not, and
     * writing the class fails after its recorder was registered. The class loads unwoven, the
     * failure is counted, and the method is not counted as instrumented.
     */
    @Test
    void aClassWhoseWeavingFailsLateCountsNoInstrumentedMethod() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "io/metricsagent/testfixtures/Huge", null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "huge", "()V", null, null);
        method.visitAnnotation("Lio/metricsagent/api/MeteredPayment;", true).visitEnd();
        method.visitCode();
        for (int i = 0; i < 65_530; i++) {
            method.visitInsn(Opcodes.NOP);
        }
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        byte[] huge = writer.toByteArray();

        byte[] woven = new MeteredClassTransformer(weaving).transform(getClass().getClassLoader(),
                "io/metricsagent/testfixtures/Huge", null, null, huge);
        assertTrue(woven == null, "a method over 64 KB was written");
        assertEquals(1, weaving.failures());
        assertEquals(0, weaving.instrumentedMethods());
    }

    /**
     * The warm-up weaves a class of every kind (it throws here if anything fails) into metrics of
     * its own: nothing is registered, counted or served.
     */
    @Test
    void theWarmUpWeavesAndLeavesNoTrace() {
        int registered = MeterBridge.registered();
        assertEquals("", WeavingSupport.scrapeLines(weaving, "warm_up"));
        assertTrue(ClassWeaver.warmUp(), "the warm-up class was woven");
        assertEquals(registered, MeterBridge.registered());
        assertEquals(0, weaving.instrumentedMethods());
        assertEquals("", WeavingSupport.scrapeLines(weaving, "warm_up"));
    }
}
