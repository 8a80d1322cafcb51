package io.metricsagent.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletMapping;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;
import org.springframework.web.filter.CharacterEncodingFilter;
import org.springframework.web.filter.RequestContextFilter;

/**
 * One GET request through a Jakarta Servlet 6 filter chain into an {@code HttpServlet}: two of the
 * filters a Spring Boot application registers (character encoding, forced on requests, and the
 * request context) and a servlet writing a short text, over spring-test's request and response,
 * which a thread reuses from request to request, cleared, as a container recycles its own.
 *
 * <p>{@code baseline} runs with no agent; {@code agent} under the metrics agent with its shipped
 * presets (http_server times the request once, at the chain's first filter) and no config file;
 * {@code otel} under the OpenTelemetry Java agent, its servlet instrumentation opening a server
 * span, exporters off. Run from the repository root, as {@link PaymentBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX})
public class ServletRequestBenchmark {

    private MockHttpServletRequest request;
    private MockHttpServletResponse response;
    private MockFilterChain chain;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        String variant = Forks.variant(params);
        Forks.requireAgents(variant);
        request = new MockHttpServletRequest("GET", "/orders/42");
        request.setServletPath("/orders");
        request.setPathInfo("/42");
        request.setHttpServletMapping(new MockHttpServletMapping("42", "/orders/*", "orders", MappingMatch.PATH));
        response = new MockHttpServletResponse();
        SpanProbeServlet probe = new SpanProbeServlet();
        chain(probe).doFilter(request, response);
        Forks.requireTraced(variant, probe.traced, "the servlet chain");
        chain = chain(new OrderServlet());
        serve();
        if (response.getStatus() != 200 || !response.getContentAsString().equals("order 42")) {
            throw new IllegalStateException(variant + ": the servlet answered " + response.getStatus() + " \""
                    + response.getContentAsString() + "\", not 200 \"order 42\"");
        }
        Forks.requireWoven(variant, "the servlet chain", "http_server");
    }

    private static MockFilterChain chain(Servlet servlet) throws ServletException {
        servlet.init(new MockServletConfig("orders"));
        Filter encoding = new CharacterEncodingFilter("UTF-8", true, false);
        encoding.init(new MockFilterConfig("characterEncodingFilter"));
        Filter requestContext = new RequestContextFilter();
        requestContext.init(new MockFilterConfig("requestContextFilter"));
        return new MockFilterChain(servlet, encoding, requestContext);
    }

    private int serve() throws IOException, ServletException {
        // As a container recycles its request: an attribute left by the last one (the
        // OpenTelemetry agent's context) would make this one look like a dispatch of it.
        request.clearAttributes();
        response.setCommitted(false);
        response.reset();
        chain.reset();
        chain.doFilter(request, response);
        return response.getStatus();
    }

    @Benchmark
    public int baseline() throws IOException, ServletException {
        return serve();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX, PaymentBenchmark.METRICS_AGENT})
    public int agent() throws IOException, ServletException {
        return serve();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {PaymentBenchmark.XMS, PaymentBenchmark.XMX, PaymentBenchmark.OTEL_AGENT,
            PaymentBenchmark.OTEL_TRACES, PaymentBenchmark.OTEL_METRICS, PaymentBenchmark.OTEL_LOGS,
            PaymentBenchmark.OTEL_QUIET})
    public int otel() throws IOException, ServletException {
        return serve();
    }
}
