package io.metricsagent.agent.description;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a path is split into steps, and what each step's form reads. */
class PathStepTest {

    private static List<Object> parsed(String step) {
        PathStep parsed = PathStep.parse(step);
        return Arrays.asList(parsed.kind(), parsed.name(), parsed.literal());
    }

    private static String refusal(String path) {
        return assertThrows(IllegalArgumentException.class, () -> ValueSource.path(path)).getMessage();
    }

    @Test
    void aLiteralIsReadBeforeThePathIsSplitOnItsDots() {
        assertEquals(List.of("customer", "tier"), ValueSource.path("customer.tier"));
        assertEquals(List.of("getAttribute(\"org.springframework.web.servlet.HandlerMapping.bestMatchingPattern\")"),
                ValueSource.path("getAttribute(\"org.springframework.web.servlet.HandlerMapping.bestMatchingPattern\")"));
        assertEquals(List.of("as(jakarta.servlet.http.HttpServletRequest)", "httpServletMapping", "pattern"),
                ValueSource.path("as(jakarta.servlet.http.HttpServletRequest).httpServletMapping.pattern"));
        assertEquals(List.of("headers", "get(\"a.b(c)\\\"d\")", "get(0)", "length"),
                ValueSource.path("headers.get(\"a.b(c)\\\"d\").get(0).length"));
    }

    @Test
    void eachFormReadsItsNameAndLiteral() {
        assertEquals(Arrays.asList(PathStep.Kind.MEMBER, "tier", null), parsed("tier"));
        assertEquals(Arrays.asList(PathStep.Kind.CALL, "getAttribute", "a.b"), parsed("getAttribute(\"a.b\")"));
        assertEquals(Arrays.asList(PathStep.Kind.CALL, "get", "say \"hi\" \\ bye"), parsed("get(\"say \\\"hi\\\" \\\\ bye\")"));
        assertEquals(Arrays.asList(PathStep.Kind.CALL, "get", ""), parsed("get(\"\")"));
        assertEquals(Arrays.asList(PathStep.Kind.CALL, "get", -3), parsed("get(-3)"));
        assertEquals(Arrays.asList(PathStep.Kind.CAST, "com.shop.Order$Line", null), parsed("as(com.shop.Order$Line)"));
    }

    @Test
    void aStepOfNoFormIsRefusedByName() {
        String forms = " is not a name, name(\"text\"), name(123) or as(com.shop.Type)";
        assertEquals("path 'a..b' is not of the form name.name...: ''" + forms, refusal("a..b"));
        assertEquals("path 'a.b.' is not of the form name.name...: ''" + forms, refusal("a.b."));
        assertEquals("path 'pool name' is not of the form name.name...: 'pool name'" + forms, refusal("pool name"));
        assertEquals("path 'get(x)' is not of the form name.name...: 'get(x)'" + forms, refusal("get(x)"));
        assertEquals("path 'get('x')' is not of the form name.name...: 'get('x')'" + forms, refusal("get('x')"));
        assertEquals("path 'get(\"a\\n\")' is not of the form name.name...: 'get(\"a\\n\")'" + forms, refusal("get(\"a\\n\")"));
        assertEquals("path 'get(\"a\", \"b\")' is not of the form name.name...: 'get(\"a\", \"b\")'" + forms,
                refusal("get(\"a\", \"b\")"));
        assertEquals("path 'get(12345678901)' is not of the form name.name...: 'get(12345678901)'" + forms,
                refusal("get(12345678901)"));
        assertEquals("path 'get(\"a).b' is not of the form name.name...: 'get(\"a).b'" + forms, refusal("get(\"a).b"));
        assertEquals("path 'as(com..Type).x' is not of the form name.name...: 'as(com..Type)' does not name a class"
                + " (as(com.shop.Type))", refusal("as(com..Type).x"));
        assertEquals("path 'as().x' is not of the form name.name...: 'as()' does not name a class (as(com.shop.Type))",
                refusal("as().x"));
    }

    @Test
    void aGaugeReadsPlainNamesOnly() {
        assertEquals(List.of("this", "config", "poolName"), ValueSource.plainPath("this.config.poolName"));
        assertEquals("path 'this.get(0)' is not of the form name.name...",
                assertThrows(IllegalArgumentException.class, () -> ValueSource.plainPath("this.get(0)")).getMessage());
    }
}
