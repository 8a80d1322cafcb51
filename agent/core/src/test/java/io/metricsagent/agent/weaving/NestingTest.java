package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.invoke;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static io.metricsagent.agent.weaving.WeavingSupport.weaveAndDefine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nesting groups and in-flight counts, woven in-process from {@link NestedCalls}. */
class NestingTest {

    private static final Weaving weaving = WeavingSupport.newWeaving();

    private static Class<?> woven;
    private static Object calls;

    @BeforeAll
    static void weave() throws Exception {
        woven = weaveAndDefine(weaving, NestedCalls.class.getName());
        calls = woven.getDeclaredConstructor().newInstance();
    }

    private static Method method(String name, Class<?>... parameters) throws NoSuchMethodException {
        return woven.getMethod(name, parameters);
    }

    @Test
    void aDelegationCountsItsOutermostLevelOnceAndStaysBalancedWhenAnInnerThrowIsTurnedIntoAReturn() throws Throwable {
        Method outer = method("outer", boolean.class);
        Method middle = method("middle", boolean.class);
        assertEquals("recovered", invoke(outer, calls, true));
        assertEquals("inner", invoke(outer, calls, false));
        assertEquals("inner", invoke(middle, calls, false));
        assertEquals("recovered", invoke(middle, calls, true));
        assertEquals(""
                        + "test_nested_calls_total{exception=\"none\",level=\"middle\",outcome=\"success\"} 2.0\n"
                        + "test_nested_calls_total{exception=\"none\",level=\"outer\",outcome=\"success\"} 2.0",
                scrapeLines(weaving, "test_nested_calls_total{"));
    }

    @Test
    void recursionCountsOnceOutermostAndEveryLevelOtherwise() throws Throwable {
        assertEquals(5, invoke(method("countdown", int.class), calls, 5));
        assertEquals(5, invoke(method("everyLevel", int.class), calls, 5));
        assertEquals("test_nested_countdown_total{exception=\"none\",outcome=\"success\"} 1.0",
                scrapeLines(weaving, "test_nested_countdown_total{"));
        assertEquals("test_every_countdown_total{exception=\"none\",outcome=\"success\"} 6.0",
                scrapeLines(weaving, "test_every_countdown_total{"));
    }

    @Test
    void innerCallsReadNoneOfTheirLabelsPaths() throws Throwable {
        NestedCalls.Probe probe = new NestedCalls.Probe();
        assertEquals(4, invoke(method("probed", NestedCalls.Probe.class, int.class), calls, probe, 4));
        assertEquals(1, NestedCalls.Probe.READS.get(), "the getter ran for the outermost of five levels only");
        assertEquals("test_nested_paths_total{exception=\"none\",outcome=\"success\",probe=\"probe\"} 1.0",
                scrapeLines(weaving, "test_nested_paths_total{"));
    }

    @Test
    void aCallThatReentersThroughAnotherGroupCountsOnceInEach() throws Throwable {
        assertEquals(3, invoke(method("reenterOuter", int.class), calls, 3));
        assertEquals(0, invoke(method("reenterOuter", int.class), calls, 0));
        assertEquals(1, invoke(method("reenterOther", int.class), calls, 1));
        // Three outermost calls of the outer group: two of its own, and the one the other group's
        // outermost call makes (inside the other group, but the outer one's outermost).
        assertEquals("test_reentry_outer_total{exception=\"none\",outcome=\"success\"} 3.0",
                scrapeLines(weaving, "test_reentry_outer_total{"));
        assertEquals("test_reentry_other_total{exception=\"none\",outcome=\"success\"} 2.0",
                scrapeLines(weaving, "test_reentry_other_total{"));
    }

    @Test
    void twoMetricsOfOneGroupCountACallOnceBetweenThem() throws Throwable {
        invoke(method("groupA"), calls);
        invoke(method("groupB"), calls);
        invoke(method("groupA"), calls);
        assertEquals("test_group_a_total{exception=\"none\",outcome=\"success\"} 2.0",
                scrapeLines(weaving, "test_group_a_total{"));
        assertEquals("test_group_b_total{exception=\"none\",outcome=\"success\"} 1.0",
                scrapeLines(weaving, "test_group_b_total{"));
    }

    @Test
    void callsInFlightAreCountedByTheLabelsKnownOnEntryAndReturnToZero() throws Throwable {
        Method waitFor = method("waitFor", String.class, CountDownLatch.class, CountDownLatch.class, boolean.class);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch started = new CountDownLatch(8);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String queue = i < 5 ? "fast" : "slow";
                boolean fail = i % 2 == 0;
                running.add(threads.submit(() -> waitFor.invoke(calls, queue, started, release, fail)));
            }
            assertEquals(true, started.await(10, TimeUnit.SECONDS));
            assertEquals(""
                            + "test_waits_in_flight{queue=\"fast\"} 5.0\n"
                            + "test_waits_in_flight{queue=\"slow\"} 3.0",
                    scrapeLines(weaving, "test_waits_in_flight{"));
            release.countDown();
            for (Future<?> call : running) {
                try {
                    call.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException expected) {
                    // half of them throw, as the application would see
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(""
                        + "test_waits_in_flight{queue=\"fast\"} 0.0\n"
                        + "test_waits_in_flight{queue=\"slow\"} 0.0",
                scrapeLines(weaving, "test_waits_in_flight{"));
        assertEquals(""
                        + "test_waits_total{exception=\"IllegalStateException\",outcome=\"failure\",queue=\"fast\",result=\"unknown\"} 3.0\n"
                        + "test_waits_total{exception=\"IllegalStateException\",outcome=\"failure\",queue=\"slow\",result=\"unknown\"} 1.0\n"
                        + "test_waits_total{exception=\"none\",outcome=\"success\",queue=\"fast\",result=\"done\"} 2.0\n"
                        + "test_waits_total{exception=\"none\",outcome=\"success\",queue=\"fast\",result=\"unknown\"} 0.0\n"
                        + "test_waits_total{exception=\"none\",outcome=\"success\",queue=\"slow\",result=\"done\"} 2.0\n"
                        + "test_waits_total{exception=\"none\",outcome=\"success\",queue=\"slow\",result=\"unknown\"} 0.0",
                scrapeLines(weaving, "test_waits_total{", "queue="));
    }

    @Test
    void onlyTheOutermostOfNestedCallsIsInFlight() throws Throwable {
        Method nested = method("nestedInFlight", CountDownLatch.class, CountDownLatch.class, int.class);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                invoke(nested, calls, started, release, 3);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        caller.start();
        assertEquals(true, started.await(10, TimeUnit.SECONDS));
        assertEquals("test_nested_in_flight_in_flight 1.0", scrapeLines(weaving, "test_nested_in_flight_in_flight 1"));
        release.countDown();
        caller.join(10_000);
        assertEquals("test_nested_in_flight_in_flight 0.0", scrapeLines(weaving, "test_nested_in_flight_in_flight 0"));
        assertEquals("test_nested_in_flight_total{exception=\"none\",outcome=\"success\"} 1.0",
                scrapeLines(weaving, "test_nested_in_flight_total{"));
    }
}
