package io.metricsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.report.FailurePolicy;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real servers on ephemeral ports of 127.0.0.1. A server has no stop of its own (it closes when
 * the JVM shuts down) and its threads are daemons, so those these tests start end with their JVM.
 */
class MetricsServerTest {

    /** Without {@code strict}, loaded with -javaagent: a failure is one line and the JVM runs on. */
    private static final FailurePolicy LENIENT = new FailurePolicy(false, false);

    private static final Pattern SERVING = Pattern.compile("\\[metrics-agent] serving metrics on (http://127\\.0\\.0\\.1:(\\d+)/metrics)\n");

    @RegisterExtension
    final Stderr stderr = new Stderr();

    private static PrometheusRegistry registryWithOrders() {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter orders = Counter.builder().name("orders_total").help("Orders placed").register(registry);
        orders.inc(3);
        return registry;
    }

    /** Stands for the agent's status page: answers with the path it was asked for. */
    private static final HttpHandler PAGE = exchange -> {
        byte[] body = ("page of " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    };

    /** Starts a server as the agent does and returns its port, read from the line it says. */
    private int start(String options, PrometheusRegistry registry) {
        MetricsServer.start(AgentOptions.parse(options), registry, PAGE, LENIENT, new LongAdder());
        String said = stderr.text();
        Matcher serving = SERVING.matcher(said);
        assertTrue(serving.matches(), said);
        assertEquals(serving.group(1), System.getProperty(AgentProperties.ENDPOINT));
        return Integer.parseInt(serving.group(2));
    }

    private static final class Answer {
        final int status;
        final String contentType;
        final String authenticate;
        final String body;

        Answer(HttpURLConnection connection) throws IOException {
            status = connection.getResponseCode();
            contentType = connection.getContentType();
            authenticate = connection.getHeaderField("WWW-Authenticate");
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static Answer get(int port, String path, String authorization) throws IOException {
        return get(port, path, "Authorization", authorization);
    }

    private static Answer get(int port, String path, String header, String value) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(2000);
        if (value != null) {
            connection.setRequestProperty(header, value);
        }
        try {
            return new Answer(connection);
        } finally {
            connection.disconnect();
        }
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void servesMetricsAndHealthOnAnEphemeralPort() throws IOException {
        int port = start("port=0,host=127.0.0.1", registryWithOrders());
        assertTrue(port > 0);
        Answer metrics = get(port, "/metrics", null);
        assertEquals(200, metrics.status);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.contentType);
        assertEquals(""
                + "# HELP orders_total Orders placed\n"
                + "# TYPE orders_total counter\n"
                + "orders_total 3.0\n", metrics.body);
        Answer openMetrics = get(port, "/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertEquals(200, openMetrics.status);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", openMetrics.contentType);
        assertEquals(""
                + "# TYPE orders counter\n"
                + "# HELP orders Orders placed\n"
                + "orders_total 3.0\n"
                + "# EOF\n", openMetrics.body);
        Answer healthy = get(port, "/-/healthy", null);
        assertEquals(200, healthy.status);
        assertEquals("Exporter is healthy.\n", healthy.body);
        assertEquals("page of /", get(port, "/", null).body);
        assertEquals("page of /-/status", get(port, "/-/status", null).body);
        Answer selected = get(port, "/metrics?name[]=nothing_total", null);
        assertEquals(200, selected.status);
        assertEquals("", selected.body);
        // The timeouts set for the JDK server are not left in the application's properties.
        assertNull(System.getProperty("sun.net.httpserver.maxReqTime"));
        assertNull(System.getProperty("sun.net.httpserver.maxRspTime"));
        // Served by daemon threads only, which never keep the application's JVM up (this one was
        // started from a thread that is not).
        assertFalse(Thread.currentThread().isDaemon());
        List<Thread> serving = threadsNamed("metrics-http-");
        serving.addAll(threadsNamed("HTTP-Dispatcher"));
        assertTrue(serving.size() >= 2, serving::toString);
        for (Thread thread : serving) {
            assertTrue(thread.isDaemon(), thread.getName());
        }
    }

    @Test
    void aScrapeThatFailsIsAnsweredWith500AndOneLine() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Collector broken = () -> {
            throw new IllegalStateException("collector broke");
        };
        registry.register(broken);
        int port = start("port=0,host=127.0.0.1", registry);
        assertEquals(500, get(port, "/metrics", null).status);
        assertTrue(stderr.text().endsWith("\n[metrics-agent] a scrape failed: IllegalStateException: collector broke\n"),
                stderr.text());
    }

    private static List<Thread> threadsNamed(String prefix) {
        List<Thread> named = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                named.add(thread);
            }
        }
        return named;
    }

    @Test
    void basicAuthTakesUtf8CredentialsAndTurnsAwayTheRest(@TempDir Path dir) throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "pässwörd");
        int port = start("port=0,host=127.0.0.1,auth_user=scraper,auth_password_file=" + password, registryWithOrders());
        String challenge = "Basic realm=\"metrics-agent\", charset=\"UTF-8\"";
        for (String refused : new String[] {null, basic("scraper:password"), basic("other:pässwörd"), "Basic !!!",
                "Bearer " + Base64.getEncoder().encodeToString("scraper:pässwörd".getBytes(StandardCharsets.UTF_8))}) {
            Answer answer = get(port, "/metrics", refused);
            assertEquals(401, answer.status, refused);
            assertEquals(challenge, answer.authenticate, refused);
        }
        Answer metrics = get(port, "/metrics", basic("scraper:pässwörd"));
        assertEquals(200, metrics.status);
        assertTrue(metrics.body.contains("\norders_total 3.0\n"), metrics.body);
        // Auth is on every path, as the README says of auth_user.
        assertEquals(401, get(port, "/-/healthy", null).status);
        assertEquals(200, get(port, "/-/healthy", basic("scraper:pässwörd")).status);
        for (String page : new String[] {"/", "/-/status"}) {
            Answer refused = get(port, page, null);
            assertEquals(401, refused.status, page);
            assertEquals(challenge, refused.authenticate, page);
            assertEquals("page of " + page, get(port, page, basic("scraper:pässwörd")).body);
        }
        // The scheme is case-insensitive (RFC 7617).
        assertEquals(200, get(port, "/metrics", "basic " + basic("scraper:pässwörd").substring(6)).status);
    }

    /** Held until this JVM exits, so that the server's retries every 10 s keep finding the port taken. */
    private static ServerSocket taken;

    @Test
    void aTakenPortIsSaidOnceAndNothingIsPublished() throws IOException {
        taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        String endpoint = System.getProperty(AgentProperties.ENDPOINT);
        MetricsServer.start(AgentOptions.parse("port=" + taken.getLocalPort() + ",host=127.0.0.1"), new PrometheusRegistry(), PAGE,
                LENIENT, new LongAdder());
        assertEquals("[metrics-agent] metrics endpoint not started on 127.0.0.1:" + taken.getLocalPort()
                        + ": BindException: Address already in use; metrics are still recorded, retrying every "
                        + MetricsServer.RETRY_SECONDS + " s (choose another port with port=)\n",
                stderr.text());
        assertEquals(endpoint, System.getProperty(AgentProperties.ENDPOINT));
        List<Thread> retrying = threadsNamed("metrics-retry-");
        assertFalse(retrying.isEmpty());
        for (Thread thread : retrying) {
            assertTrue(thread.isDaemon(), thread.getName());
        }
    }

    @Test
    void aKeystoreThatCannotBeOpenedIsSaidOnceAndNothingIsServed(@TempDir Path dir) throws IOException {
        Path keystore = Files.writeString(dir.resolve("keystore.p12"), "not a keystore");
        Path password = Files.writeString(dir.resolve("password"), "secret");
        String endpoint = System.getProperty(AgentProperties.ENDPOINT);
        MetricsServer.start(AgentOptions.parse("port=0,host=127.0.0.1,tls_keystore=" + keystore
                + ",tls_keystore_password_file=" + password), new PrometheusRegistry(), PAGE, LENIENT, new LongAdder());
        String said = stderr.text();
        // The rest of the line is the JDK's reason, which its versions word differently.
        String start = "[metrics-agent] metrics endpoint not started: tls_keystore=" + keystore + " cannot be used: ";
        assertTrue(said.startsWith(start) && said.endsWith("; metrics are still recorded\n")
                && said.indexOf('\n') == said.length() - 1, said);
        assertEquals(endpoint, System.getProperty(AgentProperties.ENDPOINT));
    }
}
