package io.metricsagent.agent.description;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The descriptor start a rule's parameters give, as class files spell it. */
class MethodRuleTest {

    private static MethodRule taking(List<String> parameters) {
        return new MethodRule("t.yml line 1", new MethodRule.Selection(null, "shop.Basket", null, "add", parameters, List.of()),
                MeteredRecipe.named("a_total").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null);
    }

    @Test
    void parametersAreSpelledAsInADescriptor() {
        assertEquals("(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)",
                taking(List.of("jakarta.servlet.ServletRequest", "jakarta.servlet.ServletResponse")).parametersDescriptor());
        assertEquals("(ZBCSIJFD)", taking(List.of("boolean", "byte", "char", "short", "int", "long", "float", "double"))
                .parametersDescriptor());
        assertEquals("([I[[Ljava/lang/String;Lshop/Basket$Item;)",
                taking(List.of("int[]", "java.lang.String[][]", "shop.Basket$Item")).parametersDescriptor());
        assertEquals("()", taking(List.of()).parametersDescriptor());
        assertNull(taking(null).parametersDescriptor());
    }
}
