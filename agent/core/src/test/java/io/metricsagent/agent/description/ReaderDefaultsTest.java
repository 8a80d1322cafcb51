package io.metricsagent.agent.description;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.metricsagent.api.Metered;
import io.metricsagent.api.MeteredPayment;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The readers restate the annotations' defaults, because the annotations' classes may not be on
 * the application's class path: a method whose class file leaves every attribute out must be
 * described exactly as one that spells out each default the annotation declares, and a
 * configuration rule that gives only what it must must describe what the annotation does.
 */
class ReaderDefaultsTest {

    private static final List<String> PAYMENT_PARAMETERS = List.of("double", "java.lang.String", "java.lang.String");

    @Test
    void meteredWithNothingButItsNameIsMeteredAsWithEveryDefaultSpelledOut() {
        Map<String, Object> spelled = defaults(Metered.class);
        spelled.put("name", "orders");
        MethodMeter bare = AnnotationReader.read(method(AnnotationReader.METERED, Map.of("name", "orders"),
                List.of(), List.of())).get(0);
        MethodMeter full = AnnotationReader.read(method(AnnotationReader.METERED, spelled, List.of(), List.of())).get(0);
        assertEquals(describe(full), describe(bare));
        assertNull(bare.nestingGroup(), "every call counts by default");
    }

    @Test
    void anObservedParameterWithNothingButItsNameTakesTheAnnotationsBuckets() {
        Map<String, Object> spelled = defaults(Metered.Observe.class);
        spelled.put("name", "order_value");
        MethodMeter bare = AnnotationReader.read(method(AnnotationReader.METERED, Map.of("name", "orders"),
                List.of("double"), List.of(Map.of("io.metricsagent.api.Metered$Observe", Map.of("name", "order_value")))))
                .get(0);
        MethodMeter full = AnnotationReader.read(method(AnnotationReader.METERED, Map.of("name", "orders"),
                List.of("double"), List.of(Map.of("io.metricsagent.api.Metered$Observe", spelled)))).get(0);
        assertEquals(describe(full), describe(bare));
    }

    @Test
    void meteredPaymentWithoutAttributesIsMeteredAsWithEveryDefaultSpelledOut() {
        List<Map<String, Map<String, Object>>> marked = List.of(
                Map.of("io.metricsagent.api.MeteredPayment$Amount", Map.of()),
                Map.of("io.metricsagent.api.MeteredPayment$UserTier", Map.of()),
                Map.of("io.metricsagent.api.MeteredPayment$Method", Map.of()));
        MethodMeter bare = AnnotationReader.read(method(AnnotationReader.METERED_PAYMENT, Map.of(), PAYMENT_PARAMETERS,
                marked)).get(0);
        MethodMeter full = AnnotationReader.read(method(AnnotationReader.METERED_PAYMENT, defaults(MeteredPayment.class),
                PAYMENT_PARAMETERS, marked)).get(0);
        assertEquals(describe(full), describe(bare));
    }

    @Test
    void aRuleWithOnlyANameDescribesWhatMeteredWithItsDefaultsDoes() {
        Map<String, Object> spelled = defaults(Metered.class);
        spelled.put("name", "orders");
        MethodMeter annotated = AnnotationReader.read(method(AnnotationReader.METERED, spelled, List.of(), List.of()))
                .get(0);
        MethodMeter configured = RuleReader.read(rule(MeteredRecipe.named("orders").build()),
                method(null, Map.of(), List.of(), List.of()));
        assertEquals(describe(annotated), describe(configured));
        // The one default that differs, on purpose: a rule selects many methods, @Metered one.
        assertNull(annotated.nestingGroup());
        assertEquals(configured.nestingGroup() != null, true, "a rule counts its outermost calls by default");
    }

    @Test
    void thePaymentPresetWithOnlyItsValuesDescribesWhatMeteredPaymentWithItsDefaultsDoes() {
        List<Map<String, Map<String, Object>>> marked = List.of(
                Map.of("io.metricsagent.api.MeteredPayment$Amount", Map.of()),
                Map.of("io.metricsagent.api.MeteredPayment$UserTier", Map.of()),
                Map.of("io.metricsagent.api.MeteredPayment$Method", Map.of()));
        MethodMeter annotated = AnnotationReader.read(method(AnnotationReader.METERED_PAYMENT,
                defaults(MeteredPayment.class), PAYMENT_PARAMETERS, marked)).get(0);
        Recipe preset = PaymentPreset.recipe(Map.of("amount", "args[0]", "user_tier", "args[1]",
                "payment_method", "args[2]"));
        MethodMeter configured = RuleReader.read(rule(preset), method(null, Map.of(), PAYMENT_PARAMETERS, List.of()));
        assertEquals(describe(annotated), describe(configured));
    }

    /** Every attribute the annotation type declares a default for, as a class file would give it. */
    private static Map<String, Object> defaults(Class<? extends Annotation> type) {
        Map<String, Object> values = new HashMap<>();
        for (Method attribute : type.getDeclaredMethods()) {
            Object value = attribute.getDefaultValue();
            if (value instanceof Enum) {
                values.put(attribute.getName(), ((Enum<?>) value).name());
            } else if (value instanceof String[]) {
                values.put(attribute.getName(), Arrays.asList((String[]) value));
            } else if (value != null) {
                values.put(attribute.getName(), value);
            }
        }
        return values;
    }

    private static AnnotatedMethod method(String annotation, Map<String, Object> attributes, List<String> parameters,
                                          List<Map<String, Map<String, Object>>> parameterAnnotations) {
        Map<String, Map<String, Object>> annotations = annotation == null ? Map.of() : Map.of(annotation, attributes);
        List<Map<String, Map<String, Object>>> perParameter = new ArrayList<>(parameterAnnotations);
        while (perParameter.size() < parameters.size()) {
            perParameter.add(Map.of());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            names.add("p" + i);
        }
        return new AnnotatedMethod("com.shop.Orders", "place", parameters, names, "void", annotations, perParameter,
                annotation == null ? Set.of() : Set.of(annotation));
    }

    /** A rule as the file reads one that gives nothing but what it must. */
    private static MethodRule rule(Recipe recipe) {
        return new MethodRule("rules.yml line 1",
                new MethodRule.Selection("com.shop.Orders", null, null, null, null, List.of()), recipe, null, List.of(),
                MethodRule.Nesting.OUTERMOST, null);
    }

    /** Everything a meter records, as text: values, number, and each family's name, type, buckets and labels. */
    private static String describe(MethodMeter meter) {
        return "values " + meter.values().size() + ", number " + (meter.number() != null) + " or "
                + meter.numberWhenAbsent() + "\n" + meter.families().stream()
                .map(f -> f.name() + " " + f.type() + " " + Arrays.toString(f.buckets()) + " " + f.observed() + " "
                        + f.failuresOnly() + " " + labels(f))
                .collect(Collectors.joining("\n"));
    }

    private static String labels(FamilySpec family) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < family.labelNames().size(); i++) {
            LabelSource source = family.labels().get(i);
            labels.add(family.labelNames().get(i) + "=" + source.kind() + ":" + source.text() + "/" + source.otherText()
                    + (source.kind() == LabelSource.Kind.VALUE ? "#" + source.value() : ""));
        }
        return String.join(",", labels);
    }
}
