package io.metricsagent.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a rule's errors become for a method: severities by the method's severity label. */
class RuleReaderTest {

    private static final AnnotatedMethod PAY = new AnnotatedMethod("com.shop.Payments", "pay", List.of("double"),
            Arrays.asList("amount"), "void", Map.of(), List.of(Map.of()), Set.of());

    private static final MethodRule.Selection PAYMENTS = new MethodRule.Selection("com.shop.Payments", null, null, "pay",
            null, List.of());

    private static MethodRule payment(Map<String, Object> entry) {
        return new MethodRule("shop.yml line 2", PAYMENTS,
                Map.of("preset", "payment", "amount", "amount", "errors", List.of(entry)));
    }

    @Test
    void aSeverityIsOneOfTheSeverityLabelsTexts() {
        ErrorRule high = RuleReader.read(payment(Map.of("type", "a.B", "error_type", "b", "severity", "high")), PAY)
                .errors().get(0);
        assertEquals(ErrorRule.Severity.ABOVE, high.severity());
        ErrorRule medium = RuleReader.read(payment(Map.of("type", "a.B", "error_type", "b", "severity", "medium",
                "causes", true)), PAY).errors().get(0);
        assertEquals(List.of("a.B", "b", ErrorRule.Severity.OTHERWISE, true),
                List.of(medium.type(), medium.errorType(), medium.severity(), medium.causes()));
        assertEquals(ErrorRule.Severity.BY_NUMBER, RuleReader.read(payment(Map.of("type", "a.B", "error_type", "b")), PAY)
                .errors().get(0).severity());
        assertEquals("errors: severity 'low' of a.B is neither high nor medium", assertThrows(
                IllegalArgumentException.class,
                () -> RuleReader.read(payment(Map.of("type", "a.B", "error_type", "b", "severity", "low")), PAY))
                .getMessage());
    }

    @Test
    void annotatedMethodsAndRulesWithoutErrorsClassifyNothing() {
        MethodRule plain = new MethodRule("shop.yml line 2", PAYMENTS,
                Map.of("name", "pay"));
        assertEquals(List.of(), RuleReader.read(plain, PAY).errors());
    }
}
