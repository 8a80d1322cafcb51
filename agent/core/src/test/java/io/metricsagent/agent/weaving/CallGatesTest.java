package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.invoke;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.bootstrap.MeterBridge;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code only_when} and {@code drop_when} over {@link GatedCalls}, with labels read through
 * {@code getAttribute("...")} and {@code as(Type)} steps, woven in-process from a real file.
 */
class CallGatesTest {

    private static final String FIXTURE = GatedCalls.class.getName();
    private static final String RULES = ""
            + "metrics:\n"
            + "  - class: " + FIXTURE + "\n"
            + "    method: '*'\n"
            + "    name: test_gated_requests\n"
            + "    in_flight: true\n"
            + "    only_when:\n"
            + "      value: args[0].dispatcherType\n"
            + "      in: [REQUEST, ASYNC]\n"
            + "    drop_when: {value: 'args[0].asyncStarted', equals: 'true'}\n"
            + "    labels:\n"
            + "      route: args[0].getAttribute(\"org.example.route\")\n"
            + "      method: args[0].as(" + FIXTURE + "$HttpRequest).method\n";

    @RegisterExtension
    final Stderr stderr = new Stderr();

    @TempDir
    Path dir;

    private final Weaving weaving = WeavingSupport.newWeaving();
    private Method filter;
    private Object calls;

    @BeforeEach
    void weave() throws Exception {
        weaving.rules.use(rules(RULES));
        Class<?> woven = WeavingSupport.weaveAndDefine(weaving, FIXTURE);
        filter = woven.getMethod("filter", GatedCalls.Request.class, String.class, Runnable.class);
        calls = woven.getDeclaredConstructor().newInstance();
        GatedCalls.Request.DISPATCH_READS.set(0);
    }

    private List<MethodRule> rules(String yaml) throws IOException {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, yaml);
        AgentOptions options = AgentOptions.parse("config=" + file);
        assertEquals(null, options.configProblem());
        return options.rules();
    }

    /** A weaving of its own whose first rule, on the fixture, goes on with {@code rest}. */
    private Weaving weavingWith(String rest) throws IOException {
        Weaving other = WeavingSupport.newWeaving();
        other.rules.use(rules("metrics:\n  - class: " + FIXTURE + "\n" + rest));
        return other;
    }

    private static GatedCalls.HttpRequest request(String method, GatedCalls.Dispatch dispatch) {
        GatedCalls.HttpRequest request = new GatedCalls.HttpRequest(method);
        request.dispatch = dispatch;
        return request;
    }

    /** Calls the filter and answers what the in-flight gauge said while the application's code ran. */
    private String inFlightDuring(GatedCalls.Request request, String forwardTo) throws Throwable {
        AtomicReference<String> seen = new AtomicReference<>();
        invoke(filter, calls, request, forwardTo,
                (Runnable) () -> seen.set(scrapeLines(weaving, "test_gated_requests_in_flight{")));
        return seen.get();
    }

    @Test
    void aRequestForwardedInsideItselfCountsOnceWithTheRouteSetInside() throws Throwable {
        assertEquals("test_gated_requests_in_flight{method=\"GET\",route=\"unknown\"} 1.0",
                inFlightDuring(request("GET", GatedCalls.Dispatch.REQUEST), "/orders/{id}"));
        GatedCalls.Request preset = request("POST", GatedCalls.Dispatch.ASYNC);
        preset.attributes.put("org.example.route", "/orders");
        inFlightDuring(preset, null);
        assertEquals(""
                        + "test_gated_requests_total{exception=\"none\",method=\"GET\",outcome=\"success\",route=\"/orders/{id}\"} 1.0\n"
                        + "test_gated_requests_total{exception=\"none\",method=\"POST\",outcome=\"success\",route=\"/orders\"} 1.0",
                scrapeLines(weaving, "test_gated_requests_total{"));
        // The gate is read on entry of the outermost level only: once a request, whatever it passes.
        assertEquals(2, GatedCalls.Request.DISPATCH_READS.get());
        assertEquals("", stderr.text());
    }

    @Test
    void aRefusedCallIsNotInFlightNotRecordedAndItsInnerLevelsReadAndRecordNothing() throws Throwable {
        long errors = MeterBridge.errors();
        GatedCalls.Request error = request("GET", GatedCalls.Dispatch.ERROR);
        assertEquals("", inFlightDuring(error, "/error"));
        assertEquals(1, GatedCalls.Request.DISPATCH_READS.get());
        assertEquals("", scrapeLines(weaving, "test_gated_requests_total{"));
        // A refusal gives the group up at its exit, thrown or returned: the next request counts.
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> invoke(filter, calls, error, null, (Runnable) () -> {
                    throw new IllegalStateException("boom");
                }));
        assertEquals("boom", thrown.getMessage());
        inFlightDuring(request("PUT", GatedCalls.Dispatch.REQUEST), "/orders/{id}");
        assertEquals("test_gated_requests_total{exception=\"none\",method=\"PUT\",outcome=\"success\",route=\"/orders/{id}\"} 1.0",
                scrapeLines(weaving, "test_gated_requests_total{"));
        assertEquals("test_gated_requests_in_flight{method=\"PUT\",route=\"unknown\"} 0.0",
                scrapeLines(weaving, "test_gated_requests_in_flight{"));
        assertEquals(errors, MeterBridge.errors());
    }

    @Test
    void aDroppedCallWasInFlightAndRecordsNothing() throws Throwable {
        GatedCalls.Request async = request("GET", GatedCalls.Dispatch.REQUEST);
        async.async = true;
        assertEquals("test_gated_requests_in_flight{method=\"GET\",route=\"unknown\"} 1.0", inFlightDuring(async, "/slow"));
        assertEquals("test_gated_requests_in_flight{method=\"GET\",route=\"unknown\"} 0.0",
                scrapeLines(weaving, "test_gated_requests_in_flight{"));
        assertEquals("", scrapeLines(weaving, "test_gated_requests_total{"));
    }

    @Test
    void aValueOfAnotherTypeThanAsNamesReadsUnknown() throws Throwable {
        long errors = MeterBridge.errors();
        inFlightDuring(new GatedCalls.Request(), null);
        assertEquals("test_gated_requests_total{exception=\"none\",method=\"unknown\",outcome=\"success\",route=\"unknown\"} 1.0",
                scrapeLines(weaving, "test_gated_requests_total{"));
        // Neither a missing attribute nor another type is a failed read.
        assertEquals(errors, MeterBridge.errors());
    }

    @Test
    void anIntLiteralIsBoundIntoTheCallSite() throws Throwable {
        Weaving other = weavingWith("    method: filter\n"
                + "    name: test_gated_items\n"
                + "    labels: {item: 'args[0].item(7)'}\n");
        Class<?> woven = WeavingSupport.weaveAndDefine(other, FIXTURE);
        invoke(woven.getMethod("filter", GatedCalls.Request.class, String.class, Runnable.class),
                woven.getDeclaredConstructor().newInstance(), new GatedCalls.Request(), null, (Runnable) () -> { });
        assertEquals("test_gated_items_total{exception=\"none\",item=\"item7\",outcome=\"success\"} 1.0",
                scrapeLines(other, "test_gated_items_total{"));
    }

    @Test
    void aGateOnTheReturnValueOrATypeTheLoaderCannotSeeLeavesTheMethodUnmetered() throws Throwable {
        Weaving other = weavingWith("    method: filter\n"
                + "    name: test_gated_return\n"
                + "    only_when: {value: return, equals: served}\n"
                + "  - class: " + FIXTURE + "\n"
                + "    method: servlet\n"
                + "    name: test_gated_unseen\n"
                + "    labels: {method: 'args[0].as(com.nowhere.Request).method'}\n");
        assertEquals(null, ClassWeaver.weave(other, getClass().getClassLoader(), FIXTURE,
                WeavingSupport.classBytes(FIXTURE)));
        String file = dir.resolve("rules.yml").getFileName().toString();
        assertEquals(""
                + "[metrics-agent] the rule at " + file + " line 2 does not meter " + FIXTURE
                + ".filter(): only_when is read on entry, before there is a return value\n"
                + "[metrics-agent] the rule at " + file + " line 6 does not meter " + FIXTURE
                + ".servlet(): path 'as(com.nowhere.Request).method' of argument 0:"
                + " as(com.nowhere.Request): no such class is visible to " + FIXTURE + "\n", stderr.text());
    }
}
