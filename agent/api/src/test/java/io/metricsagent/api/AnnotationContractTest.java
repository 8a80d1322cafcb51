package io.metricsagent.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class AnnotationContractTest {

    /** Uses every annotation with its defaults, to read them back at run time. */
    static final class Fixture {
        @MeteredPayment
        void pay(@MeteredPayment.Amount double amount,
                 @MeteredPayment.UserTier String tier,
                 @MeteredPayment.Method String method) {}

        @MeteredGauge(name = "g")
        int gauge() {
            return 0;
        }
    }

    @Test
    void meteredPaymentIsRuntimeOnMethods() {
        assertContract(MeteredPayment.class, ElementType.METHOD);
    }

    @Test
    void meteredGaugeIsRuntimeOnMethods() {
        assertContract(MeteredGauge.class, ElementType.METHOD);
    }

    @Test
    void nestedAnnotationsAreRuntimeOnParameters() {
        assertContract(MeteredPayment.Amount.class, ElementType.PARAMETER);
        assertContract(MeteredPayment.UserTier.class, ElementType.PARAMETER);
        assertContract(MeteredPayment.Method.class, ElementType.PARAMETER);
        assertEquals(MeteredPayment.class, MeteredPayment.Amount.class.getEnclosingClass());
        assertEquals(MeteredPayment.class, MeteredPayment.UserTier.class.getEnclosingClass());
        assertEquals(MeteredPayment.class, MeteredPayment.Method.class.getEnclosingClass());
        assertEquals(0, MeteredPayment.Amount.class.getDeclaredMethods().length);
        assertEquals(0, MeteredPayment.UserTier.class.getDeclaredMethods().length);
        assertEquals(0, MeteredPayment.Method.class.getDeclaredMethods().length);
    }

    @Test
    void meteredPaymentDefaults() throws NoSuchMethodException {
        assertEquals("unknown", defaultOf(MeteredPayment.class, "gateway"));
        assertEquals("USD", defaultOf(MeteredPayment.class, "currency"));
        assertEquals("payment", defaultOf(MeteredPayment.class, "service"));
        assertEquals(3, MeteredPayment.class.getDeclaredMethods().length);
    }

    @Test
    void meteredGaugeDefaults() throws NoSuchMethodException {
        assertNull(defaultOf(MeteredGauge.class, "name"), "name is required");
        assertEquals("", defaultOf(MeteredGauge.class, "help"));
        assertArrayEquals(new String[0], (String[]) defaultOf(MeteredGauge.class, "labels"));
        assertEquals(3, MeteredGauge.class.getDeclaredMethods().length);
    }

    @Test
    void annotationsAreReadableAtRunTime() throws NoSuchMethodException {
        Method pay = Fixture.class.getDeclaredMethod("pay", double.class, String.class, String.class);
        MeteredPayment payment = pay.getAnnotation(MeteredPayment.class);
        assertNotNull(payment);
        assertEquals("unknown", payment.gateway());
        assertEquals("USD", payment.currency());
        assertEquals("payment", payment.service());
        Annotation[][] parameters = pay.getParameterAnnotations();
        assertEquals(MeteredPayment.Amount.class, parameters[0][0].annotationType());
        assertEquals(MeteredPayment.UserTier.class, parameters[1][0].annotationType());
        assertEquals(MeteredPayment.Method.class, parameters[2][0].annotationType());

        MeteredGauge gauge = Fixture.class.getDeclaredMethod("gauge").getAnnotation(MeteredGauge.class);
        assertNotNull(gauge);
        assertEquals("g", gauge.name());
        assertEquals("", gauge.help());
        assertEquals(0, gauge.labels().length);
    }

    private static void assertContract(Class<? extends Annotation> type, ElementType target) {
        assertTrue(type.isAnnotation(), type + " is an annotation");
        Retention retention = type.getAnnotation(Retention.class);
        assertNotNull(retention, type + " has @Retention");
        assertEquals(RetentionPolicy.RUNTIME, retention.value(), type.getName());
        Target targets = type.getAnnotation(Target.class);
        assertNotNull(targets, type + " has @Target");
        assertArrayEquals(new ElementType[] {target}, targets.value(), type.getName());
        assertNotNull(type.getAnnotation(Documented.class), type + " is @Documented");
    }

    private static Object defaultOf(Class<? extends Annotation> type, String element) throws NoSuchMethodException {
        return type.getDeclaredMethod(element).getDefaultValue();
    }
}
