package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.description.MeteredRecipe;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.testfixtures.OutsidePayments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Classes of the JDK's own named modules are woven only by rules with {@code jdk_classes: true}. */
class JdkModulesTest {

    private static final String LINK_HANDLER = "sun/net/httpserver/ServerImpl$Exchange$LinkHandler";

    @RegisterExtension
    final Stderr stderr = new Stderr();

    private final Weaving weaving = WeavingSupport.newWeaving();

    private static byte[] jdkClass(String internalName) {
        try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(internalName + ".class")) {
            assertNotNull(in, internalName);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MethodRule rule(String line, String classPattern, String supertype) {
        return new MethodRule("t.yml line " + line, new MethodRule.Selection(classPattern, supertype, null, "handle", null,
                List.of()), MeteredRecipe.named("test_handled").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null);
    }

    private byte[] transform(Module module, ClassLoader loader, String internalName, byte[] classFile) {
        return new MeteredClassTransformer(weaving).transform(module, loader, internalName, null, null, classFile);
    }

    @Test
    void theRunTimeImagesModulesAreTheJdks() {
        assertTrue(JdkModules.contains(HttpHandler.class.getModule()));
        assertTrue(JdkModules.contains(String.class.getModule()));
        assertTrue(JdkModules.contains(javax.tools.ToolProvider.class.getModule()));
        assertFalse(JdkModules.contains(getClass().getModule()));
    }

    @Test
    void aRuleNamingAJdkClassSaysOnceThatItIsNeverWoven() {
        weaving.rules.use(List.of(rule("1", "sun.net.httpserver.ServerImpl*", null),
                rule("5", null, HttpHandler.class.getName())));
        Module httpserver = HttpHandler.class.getModule();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        byte[] linkHandler = jdkClass(LINK_HANDLER);
        assertNull(transform(httpserver, platform, LINK_HANDLER, linkHandler));
        assertNull(transform(httpserver, platform, LINK_HANDLER, linkHandler));
        // The rule that selects by supertype means the application's handlers, and says nothing.
        assertEquals("[metrics-agent] the rule at t.yml line 1 selects sun.net.httpserver.ServerImpl$Exchange$LinkHandler"
                + " of the JDK's module jdk.httpserver, which the rule leaves as it is: a rule meters the application's classes, not the JDK's, unless it says jdk_classes: true\n",
                stderr.text());
        assertEquals(0, weaving.failures());
        assertEquals(0, weaving.instrumentedMethods());
    }

    @Test
    void aRuleWithJdkClassesWeavesThemAndTheOthersStillLeaveThem() {
        MethodRule application = rule("1", null, HttpHandler.class.getName());
        MethodRule wrapper = rule("5", LINK_HANDLER.replace('/', '.'), HttpHandler.class.getName()).weavingJdkClasses();
        weaving.rules.use(List.of(application, wrapper));
        byte[] linkHandler = jdkClass(LINK_HANDLER);
        assertNotNull(transform(HttpHandler.class.getModule(), ClassLoader.getPlatformClassLoader(), LINK_HANDLER,
                linkHandler));
        assertEquals(List.of(wrapper), weaving.rules.forClass(ClassLoader.getPlatformClassLoader(), LINK_HANDLER,
                linkHandler, true));
        assertEquals("", stderr.text());
        assertEquals(0, weaving.failures());
        assertEquals(1, weaving.instrumentedMethods());
    }

    @Test
    void classesOfTheUnnamedModuleAreWovenAsBefore() {
        String outside = "io/metricsagent/testfixtures/OutsidePayments";
        assertNotNull(transform(getClass().getModule(), getClass().getClassLoader(), outside,
                WeavingSupport.classBytes(OutsidePayments.class.getName())));
        assertEquals("", stderr.text());
    }
}
