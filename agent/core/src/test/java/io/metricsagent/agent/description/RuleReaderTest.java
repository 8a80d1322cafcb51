package io.metricsagent.agent.description;

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

    private static MethodRule rule(Recipe recipe, ErrorRule entry) {
        return new MethodRule("shop.yml line 2", PAYMENTS, recipe, null, List.of(entry), MethodRule.Nesting.OUTERMOST,
                null);
    }

    private static ErrorRule.Severity severity(Recipe recipe, String word) {
        ErrorRule entry = new ErrorRule("a.B", "b", word == null ? ErrorRule.Severity.BY_NUMBER : PaymentPreset.severity(word),
                true);
        return RuleReader.read(rule(recipe, entry), PAY).errors().get(0).severity();
    }

    @Test
    void aSeverityIsOneOfTheSeverityLabelsTexts() {
        Recipe payment = PaymentPreset.recipe(Map.of("amount", "amount"));
        assertEquals(ErrorRule.Severity.ABOVE, severity(payment, "high"));
        assertEquals(ErrorRule.Severity.OTHERWISE, severity(payment, "medium"));
        assertEquals(ErrorRule.Severity.BY_NUMBER, severity(payment, null));
        ErrorRule read = RuleReader.read(rule(payment, new ErrorRule("a.B", "b", ErrorRule.Severity.OTHERWISE, true)), PAY)
                .errors().get(0);
        assertEquals(List.of("a.B", "b", ErrorRule.Severity.OTHERWISE, true),
                List.of(read.type(), read.errorType(), read.severity(), read.causes()));
        assertEquals("severity must be high or medium, not 'low'",
                assertThrows(IllegalArgumentException.class, () -> PaymentPreset.severity("low")).getMessage());
    }

    @Test
    void aSeverityIsNotUsedWhereTheMethodHasNoSeverityLabel() {
        assertEquals(ErrorRule.Severity.BY_NUMBER, severity(MeteredRecipe.named("pay").build(), "high"));
    }

    @Test
    void annotatedMethodsAndRulesWithoutErrorsClassifyNothing() {
        MethodRule plain = new MethodRule("shop.yml line 2", PAYMENTS, MeteredRecipe.named("pay").build(), null,
                List.of(), MethodRule.Nesting.OUTERMOST, null);
        assertEquals(List.of(), RuleReader.read(plain, PAY).errors());
    }

    @Test
    void aPresetsSeverityThresholdMustBeANumber() {
        assertEquals("severity_above 'lots' is not a number", assertThrows(IllegalArgumentException.class,
                () -> PaymentPreset.recipe(Map.of("severity_above", "lots"))).getMessage());
    }
}
