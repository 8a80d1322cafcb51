package io.metricsagent.agent.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsConfigurator;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.report.FailurePolicy;
import io.metricsagent.agent.config.AgentOptions;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Serves {@code /metrics} (Prometheus text, OpenMetrics or protobuf, as the scraper asks),
 * {@code /-/healthy} and the agent's own page at every other path with the client library's HTTP
 * exporter, all of them behind the same basic auth and TLS when those are set. Its threads are
 * few, bounded and daemon: a flood of scrapes is turned away at the door
 * (the connection is closed) rather than queued without end, and the application never waits on
 * it. When the port is taken the agent says so once, keeps recording, and tries again every
 * {@value #RETRY_SECONDS} seconds; any other failure (a keystore that cannot be opened, a host
 * that is not an address) is a configuration that waiting does not mend, said once and not retried.
 * The server closes when the JVM begins to shut down.
 */
public final class MetricsServer {

    static final int RETRY_SECONDS = 10;
    private static final String STILL_RECORDED = "metrics are still recorded";
    private static final int THREADS = 2;
    private static final int QUEUE = 16;

    // The exporter's class initialiser sets these when unset; the agent takes them back out of the
    // application's system properties once its own server has read them.
    private static final String[] EXPORTER_PROPERTIES = {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"};

    /** In {@link #running} once the JVM has begun to shut down. */
    private static final Object SHUT_DOWN = new Object();

    private final AgentOptions options;
    /** Requests refused for the credentials they gave. */
    private final LongAdder authFailures;
    private final PrometheusRegistry registry;
    private final FailurePolicy policy;
    private final HttpHandler page;
    private final SSLContext tls;
    /** Null until the server runs, then the {@link HTTPServer}, then {@link #SHUT_DOWN}. */
    private final AtomicReference<Object> running = new AtomicReference<>();
    private ScheduledExecutorService retries;

    private MetricsServer(AgentOptions options, PrometheusRegistry registry, HttpHandler page, FailurePolicy policy,
                          SSLContext tls, LongAdder authFailures) {
        this.authFailures = authFailures;
        this.options = options;
        this.registry = registry;
        this.page = page;
        this.policy = policy;
        this.tls = tls;
    }

    /**
     * Starts the server, or reports in one line why it could not (and retries in the background
     * while the port is taken). Never throws; whether a server that cannot start stops the JVM is
     * {@code policy}'s to decide.
     *
     * @param page what {@code /} and every path but {@code /metrics} and {@code /-/healthy} serve
     */
    public static void start(AgentOptions options, PrometheusRegistry registry, HttpHandler page, FailurePolicy policy,
                             LongAdder authFailures) {
        SSLContext tls = null;
        if (options.tlsKeystore() != null) {
            try {
                tls = sslContext(options);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // The outer message names the trouble ("keystore password was incorrect"); the root
                // cause would be a BadPaddingException.
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                policy.failed("metrics endpoint not started: tls_keystore=" + options.tlsKeystore() + " cannot be used: "
                        + reason, null, STILL_RECORDED);
                return;
            }
        }
        MetricsServer server = new MetricsServer(options, registry, page, policy, tls, authFailures);
        // The JDK server's dispatcher waits for connections inside a native call, and HotSpot
        // holds the exit of the JVM up to 300 ms for a thread in native to come back (after main
        // returns, and on System.exit): left open, the server made every JVM exit that much later.
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "metrics-close"));
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        server.attempt(true);
    }

    private void close() {
        Object server = running.getAndSet(SHUT_DOWN);
        if (server instanceof HTTPServer) {
            ((HTTPServer) server).close();
        }
    }

    private void attempt(boolean first) {
        try {
            HTTPServer server = build();
            stopRetrying();
            if (!running.compareAndSet(null, server)) {
                // The JVM began to shut down while the server started.
                server.close();
                return;
            }
            String scheme = tls == null ? "http" : "https";
            String host = options.host().isEmpty() ? "0.0.0.0" : options.host();
            String url = scheme + "://" + host + ":" + server.getPort() + "/metrics";
            AgentLog.info("serving metrics on " + url);
            AgentProperties.publish(AgentProperties.ENDPOINT, url);
        } catch (BindException taken) {
            if (first) {
                policy.failed("metrics endpoint not started on " + where(), taken, STILL_RECORDED + ", retrying every "
                        + RETRY_SECONDS + " s (choose another port with port=)");
                retries = Executors.newSingleThreadScheduledExecutor(daemon("metrics-retry"));
                retries.scheduleWithFixedDelay(() -> attempt(false), RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
            }
        } catch (Throwable t) {
            stopRetrying();
            policy.failed("metrics endpoint not started on " + where(), t, STILL_RECORDED);
        }
    }

    private void stopRetrying() {
        if (retries != null) {
            retries.shutdown();
        }
    }

    private String where() {
        return (options.host().isEmpty() ? "*" : options.host()) + ":" + options.port();
    }

    private HTTPServer build() throws IOException {
        boolean[] wasSet = new boolean[EXPORTER_PROPERTIES.length];
        for (int i = 0; i < EXPORTER_PROPERTIES.length; i++) {
            wasSet[i] = System.getProperty(EXPORTER_PROPERTIES[i]) != null;
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemon("metrics-http"));
        executor.allowCoreThreadTimeOut(true);
        try {
            HTTPServer.Builder builder = HTTPServer.builder()
                    .port(options.port())
                    .registry(registry)
                    .defaultHandler(page)
                    .executorService(executor);
            if (!options.host().isEmpty()) {
                builder.hostname(options.host());
            }
            if (options.authUser() != null) {
                builder.authenticator(new Authenticator(options.authUser(), options.authPassword(), authFailures));
            }
            if (tls != null) {
                builder.httpsConfigurator(new HttpsConfigurator(tls));
            }
            return builder.buildAndStart();
        } catch (IOException | RuntimeException | Error e) {
            executor.shutdownNow();
            throw e;
        } finally {
            for (int i = 0; i < EXPORTER_PROPERTIES.length; i++) {
                if (!wasSet[i]) {
                    System.clearProperty(EXPORTER_PROPERTIES[i]);
                }
            }
        }
    }

    private static SSLContext sslContext(AgentOptions options) throws IOException, GeneralSecurityException {
        char[] password = options.tlsKeystorePassword().toCharArray();
        KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType()); // PKCS#12, and reads JKS too
        try (InputStream in = Files.newInputStream(options.tlsKeystore())) {
            keyStore.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * HTTP basic auth (RFC 7617, credentials in UTF-8) compared in constant time. Written here
     * rather than on the JDK's BasicAuthenticator, which on Java 11 decodes credentials in the
     * platform charset and so refuses any non-ASCII password.
     */
    private static final class Authenticator extends com.sun.net.httpserver.Authenticator {
        private static final String REALM = "metrics-agent";
        private final String user;
        private final byte[] credentials;
        private final LongAdder failures;

        Authenticator(String user, String password, LongAdder failures) {
            this.user = user;
            this.credentials = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
            this.failures = failures;
        }

        @Override
        public Result authenticate(HttpExchange exchange) {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    byte[] given = Base64.getDecoder().decode(header.substring(6).trim());
                    if (MessageDigest.isEqual(credentials, given)) {
                        return new Success(new HttpPrincipal(user, REALM));
                    }
                } catch (IllegalArgumentException notBase64) {
                    // answered like a wrong password
                }
            }
            if (header != null) {
                // A request without credentials is a browser's first: asked for them, not counted.
                failures.increment();
            }
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            return new Retry(401);
        }
    }
}
