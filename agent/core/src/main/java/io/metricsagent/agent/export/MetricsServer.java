package io.metricsagent.agent.export;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.report.FailurePolicy;
import io.metricsagent.agent.config.AgentOptions;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HealthyHandler;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
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
 * {@code /-/healthy} and the agent's own page at every other path, on the JDK's HTTP server with
 * the client library's handlers, all of them behind the same basic auth and TLS when those are
 * set. Its threads are few, bounded and daemon: a flood of scrapes is turned away at the door
 * (the connection is closed) rather than queued without end, and the application never waits on
 * it; a scraper that hangs up leaves nothing behind. When the port is taken the agent says so
 * once, keeps recording, and tries again every {@value #RETRY_SECONDS} seconds; any other failure
 * (a keystore that cannot be opened, a host that is not an address) is a configuration that
 * waiting does not mend, said once and not retried.
 * The server closes when the JVM begins to shut down.
 */
public final class MetricsServer {

    static final int RETRY_SECONDS = 10;
    private static final String STILL_RECORDED = "metrics are still recorded";
    private static final int THREADS = 2;
    private static final int QUEUE = 16;
    private static final int BACKLOG = 3;

    // Seconds for a request to arrive (a client that sends half of one holds one of the two threads
    // that long) and for its answer to leave. The JDK reads them once, when the JVM's first server
    // is made; set only where the application has not, and taken back out of its system properties
    // once read. The client library's own server sets the same.
    private static final String[][] TIMEOUTS = {
        {"sun.net.httpserver.maxReqTime", "60"}, {"sun.net.httpserver.maxRspTime", "600"}};

    /** In {@link #running} once the JVM has begun to shut down. */
    private static final Object SHUT_DOWN = new Object();

    private final AgentOptions options;
    /** Requests refused for the credentials they gave. */
    private final LongAdder authFailures;
    private final PrometheusRegistry registry;
    private final FailurePolicy policy;
    private final HttpHandler page;
    private final SSLContext tls;
    /** Null until the server runs, then the {@link HttpServer}, then {@link #SHUT_DOWN}. */
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
        if (server instanceof HttpServer) {
            stop((HttpServer) server);
        }
    }

    private void attempt(boolean first) {
        try {
            HttpServer server = build();
            stopRetrying();
            if (!running.compareAndSet(null, server)) {
                // The JVM began to shut down while the server started.
                stop(server);
                return;
            }
            String scheme = tls == null ? "http" : "https";
            String host = options.host().isEmpty() ? "0.0.0.0" : options.host();
            String url = scheme + "://" + host + ":" + server.getAddress().getPort() + "/metrics";
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

    private HttpServer build() throws IOException {
        boolean[] setHere = new boolean[TIMEOUTS.length];
        for (int i = 0; i < TIMEOUTS.length; i++) {
            setHere[i] = System.getProperty(TIMEOUTS[i][0]) == null;
            if (setHere[i]) {
                System.setProperty(TIMEOUTS[i][0], TIMEOUTS[i][1]);
            }
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemon("metrics-http"));
        executor.allowCoreThreadTimeOut(true);
        HttpServer server = null;
        try {
            InetSocketAddress address = options.host().isEmpty() ? new InetSocketAddress(options.port())
                    : new InetSocketAddress(options.host(), options.port());
            if (tls == null) {
                server = HttpServer.create(address, BACKLOG);
            } else {
                HttpsServer https = HttpsServer.create(address, BACKLOG);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            server.setExecutor(executor);
            Authenticator authenticator = options.authUser() == null ? null
                    : new Authenticator(options.authUser(), options.authPassword(), authFailures);
            HttpErrorHandlingPolicy errors = HttpErrorHandlingPolicy.builder()
                    .errorReporter(MetricsServer::scrapeFailed).build();
            serve(server, "/", page, authenticator);
            serve(server, "/metrics", new MetricsHandler(PrometheusProperties.get(), registry, errors), authenticator);
            serve(server, "/-/healthy", new HealthyHandler(), authenticator);
            startOn(executor, server);
            return server;
        } catch (IOException | RuntimeException | Error e) {
            if (server != null) {
                server.stop(0);
            }
            executor.shutdownNow();
            throw e;
        } finally {
            for (int i = 0; i < TIMEOUTS.length; i++) {
                if (setHere[i]) {
                    System.clearProperty(TIMEOUTS[i][0]);
                }
            }
        }
    }

    private static void serve(HttpServer server, String path, HttpHandler handler, Authenticator authenticator) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(ForgetUnfinishedAnswers.INSTANCE);
        if (authenticator != null) {
            context.setAuthenticator(authenticator);
        }
    }

    private static void startOn(ExecutorService executor, HttpServer server) throws IOException {
        try {
            // The server's dispatcher thread takes its daemon flag from the thread that starts it.
            executor.submit(server::start).get();
        } catch (ExecutionException e) {
            throw new IOException("the server did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the server started", e);
        }
    }

    private static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdown();
    }

    /**
     * What the client library's handler could not do: a scraper that went away before its answer was
     * written is no one's concern (and the library would otherwise log each one, with its stack, into
     * the application's java.util.logging); anything else is said.
     */
    private static void scrapeFailed(Exception e) {
        if (!(e instanceof IOException)) {
            AgentLog.warn("a scrape failed", e);
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
     * Makes the JDK's server forget the connection of an answer that was not written whole (the
     * scraper went away, or hung up while waiting in the queue). The client library's handler
     * swallows the write's failure and closes the exchange, which closes the socket; but the server
     * drops a connection from its sets only when an exception leaves the handler, and otherwise held
     * it, with its buffers (some 60 KB: its write buffer is twice the largest write), until
     * {@code maxRspTime} ran out ten minutes later.
     */
    private static final class ForgetUnfinishedAnswers extends Filter {
        static final ForgetUnfinishedAnswers INSTANCE = new ForgetUnfinishedAnswers();

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            Answer answer = new Answer(exchange.getResponseBody());
            exchange.setStreams(null, answer);
            chain.doFilter(exchange);
            if (!answer.whole()) {
                throw new IOException("answer not written whole");
            }
        }

        @Override
        public String description() {
            return "closes through the server the connection of an answer not written whole";
        }
    }

    /**
     * The body of an answer, which knows whether it was written whole: closed, and no write, flush
     * or close failed. Closing the JDK's fixed-length stream short of its length closes the exchange,
     * which closes this stream again from within: that inner close goes through, the outer one does not.
     */
    private static final class Answer extends OutputStream {
        private final OutputStream body;
        private boolean failed;
        private boolean closed;

        Answer(OutputStream body) {
            this.body = body;
        }

        boolean whole() {
            return closed && !failed;
        }

        @Override
        public void write(int b) throws IOException {
            through(() -> body.write(b));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            through(() -> body.write(b, off, len));
        }

        @Override
        public void flush() throws IOException {
            through(body::flush);
        }

        @Override
        public void close() throws IOException {
            through(body::close);
            closed = true;
        }

        /** Marks this failed for as long as {@code call} runs: one that throws leaves the mark. */
        private void through(Call call) throws IOException {
            boolean before = failed;
            failed = true;
            call.run();
            failed = before;
        }
    }

    private interface Call {
        void run() throws IOException;
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
