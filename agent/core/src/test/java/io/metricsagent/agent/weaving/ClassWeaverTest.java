package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.classBytes;
import static io.metricsagent.agent.weaving.WeavingSupport.invoke;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static io.metricsagent.agent.weaving.WeavingSupport.weaveAndDefine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metricsagent.bootstrap.MeterBridge;
import java.lang.ref.Reference;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Weaves fixtures in-process with {@link ClassWeaver#weave} and checks what they record in the
 * agent's process-wide registry. Every fixture has constant labels of its own, so each test reads
 * only its own series.
 */
class ClassWeaverTest {

    private final Weaving weaving = WeavingSupport.newWeaving();

    @Test
    void doubleAmountTierAndMethodAreRecordedAndBehaviourIsUnchanged() throws Throwable {
        long bridgeErrors = MeterBridge.errors();
        Class<?> woven = weaveAndDefine(weaving, EurPayments.class.getName());
        assertNotSame(EurPayments.class, woven);
        Object payments = woven.getDeclaredConstructor().newInstance();
        Method pay = woven.getMethod("pay", double.class, String.class, String.class);

        assertEquals("paid 10.0 by card for gold", invoke(pay, payments, 10.0, "gold", "card"));
        assertEquals("paid 250.5 by paypal for gold", invoke(pay, payments, 250.5, "gold", "paypal"));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> invoke(pay, payments, -5.0, "silver", "card"));
        assertEquals("negative amount: -5.0", thrown.getMessage());
        assertSame(IllegalStateException.class, thrown.getClass());
        assertEquals("paid 2000.0 by null for null", invoke(pay, payments, 2000.0, null, null));

        assertEquals(""
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"gold\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"silver\"} 1.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"failed\",user_tier=\"unknown\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"gold\"} 2.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"silver\"} 0.0\n"
                + "payment_requests_total{gateway=\"g\",status=\"success\",user_tier=\"unknown\"} 1.0",
                scrapeLines(weaving, "payment_requests_total{", "gateway=\"g\""));
        assertEquals(""
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"1.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"10.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"50.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"100.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"500.0\"} 2\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"1000.0\"} 2\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"5000.0\"} 2\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"gold\",le=\"+Inf\"} 2\n"
                + "payment_amount_usd_count{currency=\"EUR\",user_tier=\"gold\"} 2\n"
                + "payment_amount_usd_sum{currency=\"EUR\",user_tier=\"gold\"} 260.5\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"1.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"10.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"50.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"100.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"500.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"1000.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"5000.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"silver\",le=\"+Inf\"} 1\n"
                + "payment_amount_usd_count{currency=\"EUR\",user_tier=\"silver\"} 1\n"
                + "payment_amount_usd_sum{currency=\"EUR\",user_tier=\"silver\"} -5.0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"1.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"10.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"50.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"100.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"500.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"1000.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"5000.0\"} 1\n"
                + "payment_amount_usd_bucket{currency=\"EUR\",user_tier=\"unknown\",le=\"+Inf\"} 1\n"
                + "payment_amount_usd_count{currency=\"EUR\",user_tier=\"unknown\"} 1\n"
                + "payment_amount_usd_sum{currency=\"EUR\",user_tier=\"unknown\"} 2000.0",
                scrapeLines(weaving, "payment_amount_usd", "currency=\"EUR\""));
        assertEquals(""
                + "payment_duration_seconds_count{gateway=\"g\",payment_method=\"card\"} 2\n"
                + "payment_duration_seconds_count{gateway=\"g\",payment_method=\"paypal\"} 1\n"
                + "payment_duration_seconds_count{gateway=\"g\",payment_method=\"unknown\"} 1",
                scrapeLines(weaving, "payment_duration_seconds_count{", "gateway=\"g\""));
        assertEquals(""
                + "errors_total{error_type=\"IllegalStateException\",service=\"svc\",severity=\"high\"} 0.0\n"
                + "errors_total{error_type=\"IllegalStateException\",service=\"svc\",severity=\"medium\"} 1.0",
                scrapeLines(weaving, "errors_total{", "service=\"svc\""));
        assertEquals(bridgeErrors, MeterBridge.errors(), "recorder failures");
    }

    @Test
    void intAmountIsObservedAsItsValue() throws Throwable {
        Class<?> woven = weaveAndDefine(weaving, CentsPayments.class.getName());
        Object payments = woven.getDeclaredConstructor().newInstance();
        Method charge = woven.getMethod("charge", String.class, int.class);

        assertEquals(3000L, invoke(charge, payments, "gold", 1500));
        assertEquals(14L, invoke(charge, payments, "gold", 7));
        assertEquals(0L, invoke(charge, payments, null, 0));

        assertEquals(""
                + "payment_requests_total{gateway=\"g-int\",status=\"failed\",user_tier=\"gold\"} 0.0\n"
                + "payment_requests_total{gateway=\"g-int\",status=\"failed\",user_tier=\"unknown\"} 0.0\n"
                + "payment_requests_total{gateway=\"g-int\",status=\"success\",user_tier=\"gold\"} 2.0\n"
                + "payment_requests_total{gateway=\"g-int\",status=\"success\",user_tier=\"unknown\"} 1.0",
                scrapeLines(weaving, "payment_requests_total{", "gateway=\"g-int\""));
        assertEquals(""
                + "payment_amount_usd_count{currency=\"JPY\",user_tier=\"gold\"} 2\n"
                + "payment_amount_usd_sum{currency=\"JPY\",user_tier=\"gold\"} 1507.0\n"
                + "payment_amount_usd_count{currency=\"JPY\",user_tier=\"unknown\"} 1\n"
                + "payment_amount_usd_sum{currency=\"JPY\",user_tier=\"unknown\"} 0.0",
                scrapeLines(weaving, "payment_amount_usd_", "currency=\"JPY\"").replaceAll("(?m)^payment_amount_usd_bucket.*\n", ""));
        assertEquals(""
                + "payment_amount_usd_bucket{currency=\"JPY\",user_tier=\"gold\",le=\"5000.0\"} 2",
                scrapeLines(weaving, "payment_amount_usd_bucket", "currency=\"JPY\"", "user_tier=\"gold\"", "le=\"5000.0\""));
        assertEquals(""
                + "payment_amount_usd_bucket{currency=\"JPY\",user_tier=\"gold\",le=\"1000.0\"} 1",
                scrapeLines(weaving, "payment_amount_usd_bucket", "currency=\"JPY\"", "user_tier=\"gold\"", "le=\"1000.0\""));
        // No @Method parameter: the payment_method label is "unknown".
        assertEquals("payment_duration_seconds_count{gateway=\"g-int\",payment_method=\"unknown\"} 3",
                scrapeLines(weaving, "payment_duration_seconds_count{", "gateway=\"g-int\""));
        assertEquals("", scrapeLines(weaving, "errors_total{", "service=\"svc-int\""));
    }

    @Test
    void bigDecimalAmountOnStaticMethodAndHighSeverityError() throws Throwable {
        Class<?> woven = weaveAndDefine(weaving, BigDecimalPayments.class.getName());
        Method settle = woven.getMethod("settle", String.class, Object.class, BigDecimal.class, String.class);

        assertEquals(new BigDecimal("13.25"), invoke(settle, null, "o-1", "gold", new BigDecimal("12.25"), "iban"));
        assertEquals(new BigDecimal("5001"), invoke(settle, null, "o-2", null, new BigDecimal("5000"), null));
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> invoke(settle, null, "o-3", "gold", new BigDecimal("7500.5"), "iban"));
        assertEquals("too large: 7500.5 for o-3", thrown.getMessage());
        assertSame(IllegalArgumentException.class, thrown.getClass());

        assertEquals(""
                + "payment_requests_total{gateway=\"g-bd\",status=\"failed\",user_tier=\"gold\"} 1.0\n"
                + "payment_requests_total{gateway=\"g-bd\",status=\"failed\",user_tier=\"unknown\"} 0.0\n"
                + "payment_requests_total{gateway=\"g-bd\",status=\"success\",user_tier=\"gold\"} 1.0\n"
                + "payment_requests_total{gateway=\"g-bd\",status=\"success\",user_tier=\"unknown\"} 1.0",
                scrapeLines(weaving, "payment_requests_total{", "gateway=\"g-bd\""));
        assertEquals(""
                + "payment_amount_usd_count{currency=\"CHF\",user_tier=\"gold\"} 2\n"
                + "payment_amount_usd_sum{currency=\"CHF\",user_tier=\"gold\"} 7512.75\n"
                + "payment_amount_usd_count{currency=\"CHF\",user_tier=\"unknown\"} 1\n"
                + "payment_amount_usd_sum{currency=\"CHF\",user_tier=\"unknown\"} 5000.0",
                scrapeLines(weaving, "payment_amount_usd_", "currency=\"CHF\"").replaceAll("(?m)^payment_amount_usd_bucket.*\n", ""));
        assertEquals(""
                + "payment_amount_usd_bucket{currency=\"CHF\",user_tier=\"unknown\",le=\"1000.0\"} 0\n"
                + "payment_amount_usd_bucket{currency=\"CHF\",user_tier=\"unknown\",le=\"5000.0\"} 1",
                scrapeLines(weaving, "payment_amount_usd_bucket", "currency=\"CHF\"", "user_tier=\"unknown\"", "000.0\""));
        assertEquals(""
                + "payment_duration_seconds_count{gateway=\"g-bd\",payment_method=\"iban\"} 2\n"
                + "payment_duration_seconds_count{gateway=\"g-bd\",payment_method=\"unknown\"} 1",
                scrapeLines(weaving, "payment_duration_seconds_count{", "gateway=\"g-bd\""));
        assertEquals(""
                + "errors_total{error_type=\"IllegalArgumentException\",service=\"svc-bd\",severity=\"high\"} 1.0\n"
                + "errors_total{error_type=\"IllegalArgumentException\",service=\"svc-bd\",severity=\"medium\"} 0.0",
                scrapeLines(weaving, "errors_total{", "service=\"svc-bd\""));
    }

    @Test
    void instanceGaugesSumLiveInstancesAndStaticGaugeIsRead() throws Throwable {
        Class<?> woven = weaveAndDefine(weaving, GaugedPool.class.getName());
        Object three = woven.getDeclaredConstructor(int.class).newInstance(3);
        Object four = woven.getDeclaredConstructor(int.class).newInstance(4);

        assertEquals(""
                + "# HELP test_gauge_x h\n"
                + "# TYPE test_gauge_x gauge\n"
                + "test_gauge_x{k=\"v\"} 7.0",
                scrapeLines(weaving, "test_gauge_x"));

        // The no-argument constructor chains to this(1): both constructors' advice track it; it counts once.
        Object one = woven.getDeclaredConstructor().newInstance();
        assertEquals("test_gauge_x{k=\"v\"} 8.0", scrapeLines(weaving, "test_gauge_x{"));
        assertEquals(""
                + "test_gauge_by_parity{k=\"v\",parity=\"even\"} 4.0\n"
                + "test_gauge_by_parity{k=\"v\",parity=\"odd\"} 4.0",
                scrapeLines(weaving, "test_gauge_by_parity{"));
        assertEquals(""
                + "# HELP test_gauge_static_x static h\n"
                + "# TYPE test_gauge_static_x gauge\n"
                + "test_gauge_static_x 1.0",
                scrapeLines(weaving, "test_gauge_static_x"));
        Reference.reachabilityFence(three);
        Reference.reachabilityFence(four);
        Reference.reachabilityFence(one);
    }

    @Test
    void staticGaugeOfAClassWovenTwiceIsReadOnce() {
        String name = RewovenGauge.class.getName();
        ClassLoader loader = RewovenGauge.class.getClassLoader();
        ClassWeaver.weave(weaving, loader, name, classBytes(name));
        ClassWeaver.weave(weaving, loader, name, classBytes(name));
        assertEquals(""
                + "# HELP test_gauge_rewoven woven twice\n"
                + "# TYPE test_gauge_rewoven gauge\n"
                + "test_gauge_rewoven 5.0",
                scrapeLines(weaving, "test_gauge_rewoven"));
    }

    @Test
    void classWithoutAnnotationsIsNotWoven() {
        String name = PlainFixture.class.getName();
        assertNull(ClassWeaver.weave(weaving, getClass().getClassLoader(), name, classBytes(name)));
    }
}
