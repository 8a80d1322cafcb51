package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.invoke;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.metricsagent.agent.description.MeteredRecipe;
import io.metricsagent.agent.description.MethodRule;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

/**
 * A class made at run time (a JDK proxy, a subclass a framework generates) has no class file its
 * loader could serve: a rule's path from {@code this} is read from the bytes being woven, and goes
 * on to the supertypes' class files from there.
 */
class GeneratedClassTest {

    private static final String SUPER = Type.getInternalName(ProxiedService.class);
    private static final String GENERATED = SUPER + "$$Generated";

    private final Weaving weaving = WeavingSupport.newWeaving();

    @Test
    void pathsFromThisResolveOnAGeneratedSubclassThroughItsOwnGetterAndItsSuperclasses() throws Throwable {
        weaving.rules.use(List.of(new MethodRule("t.yml line 1",
                new MethodRule.Selection(null, ProxiedService.class.getName(), null, "handle", null, List.of()),
                MeteredRecipe.named("test_generated_calls").label("region", "this.region").label("tenant", "this.tenant")
                        .build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null)));
        String name = GENERATED.replace('/', '.');
        ClassLoader testLoader = GeneratedClassTest.class.getClassLoader();
        assertNull(testLoader.getResource(GENERATED + ".class"), "the generated class must have no class file");

        byte[] woven = ClassWeaver.weave(weaving, testLoader, name, generatedSubclass());
        assertNotNull(woven, "the generated subclass was not woven");
        Class<?> proxy = Class.forName(name, true, new WeavingSupport.ChildFirstLoader(testLoader, name, woven));
        Object service = proxy.getDeclaredConstructor().newInstance();

        assertEquals("handled 42", invoke(proxy.getMethod("handle", String.class), service, "42"));
        assertEquals("test_generated_calls_total{exception=\"none\",outcome=\"success\",region=\"eu-west\","
                + "tenant=\"acme\"} 1.0", scrapeLines(weaving, "test_generated_calls_total{"));
    }

    /** {@code ProxiedService$$Generated}: its own {@code getTenant()}, and {@code handle} calling {@code super.handle}. */
    private static byte[] generatedSubclass() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, GENERATED, null, SUPER, null);
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor tenant = writer.visitMethod(Opcodes.ACC_PUBLIC, "getTenant", "()Ljava/lang/String;", null, null);
        tenant.visitCode();
        tenant.visitLdcInsn("acme");
        tenant.visitInsn(Opcodes.ARETURN);
        tenant.visitMaxs(0, 0);
        tenant.visitEnd();
        MethodVisitor handle = writer.visitMethod(Opcodes.ACC_PUBLIC, "handle", "(Ljava/lang/String;)Ljava/lang/String;",
                null, null);
        handle.visitCode();
        handle.visitVarInsn(Opcodes.ALOAD, 0);
        handle.visitVarInsn(Opcodes.ALOAD, 1);
        handle.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, "handle", "(Ljava/lang/String;)Ljava/lang/String;", false);
        handle.visitInsn(Opcodes.ARETURN);
        handle.visitMaxs(0, 0);
        handle.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
