package io.metricsagent.agent.export;

import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.config.AgentOptions;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Pushes the registry to a Pushgateway ({@code push_url=}, {@code push_job=}) for JVMs that may
 * end before any scrape: once when the JVM exits, from a shutdown hook, and optionally every
 * {@code push_interval} seconds while it runs. Each push is a PUT of the text exposition to
 * {@code <push_url>/metrics/job/<job>/<label>/<value>...}, replacing what the group held. Every
 * push runs on one daemon thread, so the last one, at exit, comes after any still in flight; the
 * hook waits for it at most {@code push_timeout} seconds, so a gateway that is down or slow never
 * holds the JVM's exit up longer. A failed push is one line (periodic ones: once, until one
 * works again).
 */
public final class Pusher {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_ERROR_TEXT = 200;

    private final URL url;
    private final String authorization;
    private final AgentOptions options;
    private final Supplier<PrometheusRegistry> registry;
    private final int timeoutMillis;
    private final AtomicBoolean exitReported = new AtomicBoolean();
    private ScheduledThreadPoolExecutor executor;
    /** Touched on the push thread only. */
    private SSLSocketFactory tls;
    private boolean failing;

    private Pusher(AgentOptions options, Supplier<PrometheusRegistry> registry) throws IOException {
        this.options = options;
        this.registry = registry;
        this.url = new URL(options.pushUrl() + groupingPath(options.pushJob(), options.pushGrouping()));
        this.timeoutMillis = options.pushTimeoutSeconds() * 1000;
        this.authorization = options.pushAuthUser() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (options.pushAuthUser() + ":" + options.pushAuthPassword()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Arranges the push at exit for options with a {@code push_url}. Never throws.
     *
     * @param registry registers the metrics if that has not happened yet and gives what to push
     * @return the pusher, or {@code null} when nothing will be pushed
     */
    public static Pusher start(AgentOptions options, Supplier<PrometheusRegistry> registry) {
        try {
            Pusher pusher = new Pusher(options, registry);
            Runtime.getRuntime().addShutdownHook(new Thread(new AtExit(pusher), "metrics-push-exit"));
            return pusher;
        } catch (IllegalStateException shuttingDown) {
            // Nothing ran that could be pushed.
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("nothing will be pushed to " + options.pushUrl(), e);
        }
        return null;
    }

    /** Starts the periodic pushes, when {@code push_interval} asks for them, after {@link #start}; off premain's thread. */
    public void startPeriodic() {
        int interval = options.pushIntervalSeconds();
        if (interval > 0) {
            try {
                executor().scheduleWithFixedDelay(new Push(this, false), interval, interval, TimeUnit.SECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // the push at exit is under way
            }
        }
    }

    /**
     * The grouping key as the Pushgateway reads it from the path: each value percent-encoded, or
     * base64url-encoded after {@code <name>@base64} when it holds a {@code /} (which no encoding
     * of the plain form survives) or is a dot segment (which routers resolve away).
     */
    static String groupingPath(String job, Map<String, String> grouping) {
        StringBuilder path = new StringBuilder("/metrics");
        appendLabel(path, "job", job);
        for (Map.Entry<String, String> label : grouping.entrySet()) {
            appendLabel(path, label.getKey(), label.getValue());
        }
        return path.toString();
    }

    private static void appendLabel(StringBuilder path, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (value.indexOf('/') >= 0 || value.equals(".") || value.equals("..")) {
            path.append('/').append(name).append("@base64/").append(Base64.getUrlEncoder().encodeToString(bytes));
            return;
        }
        path.append('/').append(name).append('/');
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                path.append(c);
            } else {
                path.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    private synchronized ScheduledThreadPoolExecutor executor() {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "metrics-push");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }

    /** Pushes once more at exit, after any push in flight, and waits for it at most push_timeout. */
    private void atExit() {
        Future<?> last;
        try {
            ScheduledThreadPoolExecutor pushes = executor();
            last = pushes.submit(new Push(this, true));
            pushes.shutdown();
        } catch (RejectedExecutionException alreadyShutDown) {
            return;
        }
        try {
            last.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            if (exitReported.compareAndSet(false, true)) {
                AgentLog.info("push to " + url + " at exit did not finish within " + options.pushTimeoutSeconds()
                        + " s (push_timeout); the JVM exits without it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException cannotHappen) {
            // push() reports its own failures
        }
    }

    private void push(boolean atExit) {
        try {
            send(body(registry.get()));
            if (failing && !atExit) {
                AgentLog.info("push to " + url + " succeeded again");
            }
            failing = false;
        } catch (Throwable t) {
            if (atExit) {
                if (exitReported.compareAndSet(false, true)) {
                    AgentLog.info("push to " + url + " at exit failed: " + AgentLog.describe(t) + "; what this run"
                            + " recorded since its last push is not on the Pushgateway");
                }
            } else if (!failing) {
                failing = true;
                AgentLog.info("push to " + url + " failed: " + AgentLog.describe(t) + "; tried again every "
                        + options.pushIntervalSeconds() + " s and at exit, and said once it works again");
            }
        }
    }

    private static byte[] body(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(text, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        return text.toByteArray();
    }

    private void send(byte[] body) throws IOException, GeneralSecurityException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        if (connection instanceof HttpsURLConnection && options.pushTruststore() != null) {
            ((HttpsURLConnection) connection).setSSLSocketFactory(tls());
        }
        try {
            connection.setRequestMethod("PUT");
            connection.setDoOutput(true);
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestProperty("Content-Type", CONTENT_TYPE);
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            if (status / 100 != 2) {
                throw new IOException("HTTP " + status + " " + errorText(connection));
            }
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
            }
        } finally {
            connection.disconnect();
        }
    }

    /** The status's reason, and the start of what the gateway said, which names the trouble (an inconsistent metric). */
    private static String errorText(HttpURLConnection connection) {
        String reason;
        try {
            reason = String.valueOf(connection.getResponseMessage());
        } catch (IOException e) {
            reason = "";
        }
        try (InputStream in = connection.getErrorStream()) {
            String text = in == null ? "" : new String(in.readNBytes(MAX_ERROR_TEXT), StandardCharsets.UTF_8).trim();
            int newline = text.indexOf('\n');
            return text.isEmpty() ? reason : reason + ": " + (newline < 0 ? text : text.substring(0, newline));
        } catch (IOException e) {
            return reason;
        }
    }

    private SSLSocketFactory tls() throws IOException, GeneralSecurityException {
        if (tls == null) {
            String password = options.pushTruststorePassword();
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType()); // PKCS#12, and reads JKS too
            try (InputStream in = Files.newInputStream(options.pushTruststore())) {
                trusted.load(in, password == null ? null : password.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            tls = context.getSocketFactory();
        }
        return tls;
    }

    // Classes, not lambdas: start() runs in premain, where the first lambda bootstraps java.lang.invoke.
    private static final class AtExit implements Runnable {
        private final Pusher pusher;

        AtExit(Pusher pusher) {
            this.pusher = pusher;
        }

        @Override
        public void run() {
            pusher.atExit();
        }
    }

    private static final class Push implements Runnable {
        private final Pusher pusher;
        private final boolean atExit;

        Push(Pusher pusher, boolean atExit) {
            this.pusher = pusher;
            this.atExit = atExit;
        }

        @Override
        public void run() {
            pusher.push(atExit);
        }
    }
}
