package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.invoke;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static io.metricsagent.agent.weaving.WeavingSupport.weaveAndDefine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metricsagent.bootstrap.MeterBridge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The general annotation woven in-process: every label source, and names refused with one line. */
class GeneralWeavingTest {

    private final Weaving weaving = WeavingSupport.newWeaving();

    @Test
    void labelsFromArgumentsPathsAndTheReturnValueAndAnObservedNumber() throws Throwable {
        weaveAndDefine(weaving, EurPayments.class.getName()); // declares the payment families, for the clashes below
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        Class<?> woven;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            woven = weaveAndDefine(weaving, OrderDesk.class.getName());
        } finally {
            System.setErr(original);
        }
        String desk = OrderDesk.class.getName();
        assertEquals(List.of(
                "[metrics-agent] @Metered on " + desk + ".badName() is not metered: @Metered(name=\"bad-name\") is not a"
                        + " valid metric name ([a-zA-Z][a-zA-Z0-9_]*)",
                "[metrics-agent] @Metered on " + desk + ".unresolved() is not metered: path 'customer.nothing' of"
                        + " argument 0: no visible getter or field 'nothing' on " + desk + "$Customer",
                "[metrics-agent] @Metered on " + desk + ".clashesWithThePaymentCounter() is not metered:"
                        + " 'payment_requests_total' clashes with the metric 'payment_requests_total'"
                        + " (counter {status,gateway,user_tier}) already defined",
                "[metrics-agent] @MeteredGauge on " + desk + ".clashingGauge() is ignored: 'payment_requests' clashes"
                        + " with the metric 'payment_requests_total' (counter {status,gateway,user_tier}) already defined"),
                Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isEmpty())
                        .collect(Collectors.toList()));

        long bridgeErrors = MeterBridge.errors();
        Object desk1 = woven.getDeclaredConstructor().newInstance();
        Method place = woven.getMethod("place", String.class, OrderDesk.Order.class);
        OrderDesk.Receipt receipt = (OrderDesk.Receipt) invoke(place, desk1, "eu",
                new OrderDesk.Order(new OrderDesk.Customer("gold"), 20));
        assertSame(OrderDesk.Status.ACCEPTED, receipt.status());
        invoke(place, desk1, "eu", new OrderDesk.Order(new OrderDesk.Customer("gold"), 70));
        invoke(place, desk1, "us", new OrderDesk.Order(null, 5));
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> invoke(place, desk1, null, null));
        assertEquals("no order", thrown.getMessage());

        assertEquals(""
                + "test_orders_total{desk=\"d1\",exception=\"IllegalArgumentException\",outcome=\"failure\",region=\"unknown\",status=\"unknown\",tier=\"unknown\"} 1.0\n"
                + "test_orders_total{desk=\"d1\",exception=\"none\",outcome=\"success\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\"} 1.0\n"
                + "test_orders_total{desk=\"d1\",exception=\"none\",outcome=\"success\",region=\"eu\",status=\"REJECTED\",tier=\"gold\"} 1.0\n"
                + "test_orders_total{desk=\"d1\",exception=\"none\",outcome=\"success\",region=\"unknown\",status=\"unknown\",tier=\"unknown\"} 0.0\n"
                + "test_orders_total{desk=\"d1\",exception=\"none\",outcome=\"success\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\"} 1.0",
                scrapeLines(weaving, "test_orders_total{"));
        // Both outcomes of a combination are exposed from its first call, at zero until they happen.
        assertEquals(""
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"failure\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\"} 0\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"failure\",region=\"eu\",status=\"REJECTED\",tier=\"gold\"} 0\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"failure\",region=\"unknown\",status=\"unknown\",tier=\"unknown\"} 1\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"failure\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\"} 0\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"success\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\"} 1\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"success\",region=\"eu\",status=\"REJECTED\",tier=\"gold\"} 1\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"success\",region=\"unknown\",status=\"unknown\",tier=\"unknown\"} 0\n"
                + "test_orders_duration_seconds_count{desk=\"d1\",outcome=\"success\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\"} 1",
                scrapeLines(weaving, "test_orders_duration_seconds_count{"));
        // A null order is not observed (its series stays at zero); its call is still counted above.
        assertEquals(""
                + "test_order_value_bucket{desk=\"d1\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\",le=\"10.0\"} 0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\",le=\"100.0\"} 1\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\",le=\"+Inf\"} 1\n"
                + "test_order_value_count{desk=\"d1\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\"} 1\n"
                + "test_order_value_sum{desk=\"d1\",region=\"eu\",status=\"ACCEPTED\",tier=\"gold\"} 20.0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"eu\",status=\"REJECTED\",tier=\"gold\",le=\"10.0\"} 0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"eu\",status=\"REJECTED\",tier=\"gold\",le=\"100.0\"} 1\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"eu\",status=\"REJECTED\",tier=\"gold\",le=\"+Inf\"} 1\n"
                + "test_order_value_count{desk=\"d1\",region=\"eu\",status=\"REJECTED\",tier=\"gold\"} 1\n"
                + "test_order_value_sum{desk=\"d1\",region=\"eu\",status=\"REJECTED\",tier=\"gold\"} 70.0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"unknown\",status=\"unknown\",tier=\"unknown\",le=\"10.0\"} 0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"unknown\",status=\"unknown\",tier=\"unknown\",le=\"100.0\"} 0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"unknown\",status=\"unknown\",tier=\"unknown\",le=\"+Inf\"} 0\n"
                + "test_order_value_count{desk=\"d1\",region=\"unknown\",status=\"unknown\",tier=\"unknown\"} 0\n"
                + "test_order_value_sum{desk=\"d1\",region=\"unknown\",status=\"unknown\",tier=\"unknown\"} 0.0\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\",le=\"10.0\"} 1\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\",le=\"100.0\"} 1\n"
                + "test_order_value_bucket{desk=\"d1\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\",le=\"+Inf\"} 1\n"
                + "test_order_value_count{desk=\"d1\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\"} 1\n"
                + "test_order_value_sum{desk=\"d1\",region=\"us\",status=\"ACCEPTED\",tier=\"unknown\"} 5.0",
                scrapeLines(weaving, "test_order_value_"));

        Method primitive = woven.getMethod("primitive", int.class, long.class);
        assertEquals(84L, invoke(primitive, null, 200, 42L));
        assertEquals(84L, invoke(primitive, null, 200, 42L));
        assertEquals("test_codes_total{code=\"200\",doubled=\"84\"} 2.0", scrapeLines(weaving, "test_codes_total{"));
        assertEquals("test_code_value_sum{code=\"200\",doubled=\"84\"} 84.0", scrapeLines(weaving, "test_code_value_sum{"));

        // Refused methods run as written, unmetered.
        assertEquals(1, invoke(woven.getMethod("badName"), desk1));
        assertEquals(2, invoke(woven.getMethod("unresolved", OrderDesk.Order.class), desk1, (Object) null));
        assertEquals(3, invoke(woven.getMethod("clashesWithThePaymentCounter"), desk1));
        assertEquals("", scrapeLines(weaving, "test_unresolved"));
        assertEquals(bridgeErrors, MeterBridge.errors());
    }
}
