package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint: health, basic auth, TLS, and clients that misbehave. All traffic stays on 127.0.0.1. */
class EndpointIT {

    private static final String PASSWORD = "s3cret-\u00e9";

    @Test
    void healthAnswers() throws Exception {
        try (JvmProcess app = sample("host=127.0.0.1,port=0", "20")) {
            HttpResponse<byte[]> health = Exposition.get(app.metricsPort(), "/-/healthy", "*/*");
            assertEquals(200, health.statusCode());
            assertEquals("Exporter is healthy.\n", new String(health.body(), StandardCharsets.UTF_8));
        }
    }

    /**
     * With basic auth (its password from a file), no path however spelled and no method reaches
     * anything without credentials: each is refused (401 and the challenge), or turned away by the
     * JDK's server before any handler (a path it reads as having none); nothing of the metrics or
     * the page is in any answer. Wrong credentials are counted, a request without any is not; the
     * password is in no line, page or answer.
     */
    @Test
    void withBasicAuthNoSpellingOfAPathOrMethodGetsThroughAndFailuresAreCounted(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("password");
        Files.writeString(secret, PASSWORD + "\n");
        try (JvmProcess app = sample("host=127.0.0.1,port=0,auth_user=prometheus,auth_password_file=" + secret, "20")) {
            int port = app.metricsPort();
            app.awaitStdout("^summary ");
            Map<String, String> answers = new TreeMap<>();
            for (String path : List.of("/", "/metrics", "/-/healthy", "/-/status", "//metrics", "/metrics/../metrics",
                    "/./metrics", "/%6Detrics", "/%2Fmetrics", "/METRICS", "/Metrics", "/metrics/", "/metrics?name[]=x",
                    "/metrics;x", "/metrics%00", "/-/STATUS", "/nothing", "http://127.0.0.1/metrics")) {
                for (String method : List.of("GET", "HEAD", "OPTIONS", "POST", "TRACE", "get")) {
                    String answer = rawExchange(port, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Connection: close\r\n\r\n");
                    String status = answer.isEmpty() ? "closed" : answer.substring(9, 12);
                    assertFalse(answer.contains("payment_requests") || answer.contains("metrics_agent") || answer.contains("<html"),
                            method + " " + path + " answered:\n" + answer);
                    if (status.equals("401")) {
                        assertTrue(answer.contains("\r\nWww-authenticate: Basic realm=\"metrics-agent\", charset=\"UTF-8\"\r\n"),
                                method + " " + path + " answered:\n" + answer);
                    }
                    answers.merge(status, method + " " + path, (a, b) -> a + ", " + b);
                }
            }
            assertEquals(Set.of("401", "404"), answers.keySet(), answers::toString);
            assertEquals("GET //metrics, HEAD //metrics, OPTIONS //metrics, POST //metrics, TRACE //metrics, get //metrics",
                    answers.get("404"));

            for (String wrong : List.of(basic("prometheus", "wrong"), basic("someone", PASSWORD), "Basic !!!", "Bearer x",
                    basic("prometheus", PASSWORD + " "))) {
                assertEquals(401, get(port, wrong).statusCode());
            }
            String authorization = basic("prometheus", PASSWORD);
            assertTrue(get(port, authorization).body().lines().anyMatch("metrics_agent_auth_failures_total 5.0"::equals));
            for (String path : List.of("/", "/-/status", "/metrics", "/-/healthy")) {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).header("Authorization", authorization)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), path);
                assertFalse(answer.body().contains(PASSWORD), path);
                if (path.equals("/metrics")) {
                    assertTrue(answer.body().contains("payment_requests_total{"), answer.body());
                }
            }
            assertFalse(String.join("\n", app.stderr()).contains(PASSWORD));
        }
    }

    @Test
    void tlsServesTheEndpointWithAKeystorePasswordFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path keystore = keystore(dir);
        try (JvmProcess app = tlsSample(keystore, "changeit")) {
            int port = Integer.parseInt(app.awaitStderr("serving metrics on https://127.0.0.1:(\\d+)/metrics").group(1));
            app.awaitStdout("^summary ");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trusted.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("payment_requests_total{"), response.body());
            // The status page and its JSON over the same TLS.
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/-/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode());
            assertTrue(status.body().contains("\"tls_keystore_password_env\":\"set\""), status.body());
        }
    }

    /** A wrong password does not mend by waiting: one line naming the keystore, and no retries. */
    @Test
    void aWrongKeystorePasswordIsOneConfigurationErrorAndNeverRetried(@TempDir Path dir) throws Exception {
        Path keystore = keystore(dir);
        try (JvmProcess app = tlsSample(keystore, "wrong")) {
            app.awaitStdout("^summary requests=20 ");
            app.awaitStderr("metrics endpoint not started");
            assertEquals(List.of("[metrics-agent] metrics endpoint not started: tls_keystore=" + keystore
                    + " cannot be used: keystore password was incorrect; metrics are still recorded"),
                    FaultsIT.agentLines(app));
            assertEquals(0, threads(app.pid(), "metrics-retry-"), "a retry is scheduled");
            assertEquals(0, threads(app.pid(), "metrics-http-"), "a server runs");
        }
    }

    @Test
    void withStrictAWrongKeystorePasswordStopsTheJvm(@TempDir Path dir) throws Exception {
        Path keystore = keystore(dir);
        Path password = dir.resolve("password");
        Files.writeString(password, "wrong\n");
        try (JvmProcess app = sample("host=127.0.0.1,port=0,strict=true,tls_keystore=" + keystore
                + ",tls_keystore_password_file=" + password, "20")) {
            // Without --exit the sample never ends by itself: only the agent can end it.
            assertEquals(1, app.awaitExit(), app::describe);
            assertEquals(List.of("[metrics-agent] metrics endpoint not started: tls_keystore=" + keystore
                    + " cannot be used: keystore password was incorrect; strict=true, stopping the JVM"),
                    FaultsIT.agentLines(app));
        }
    }

    @Test
    void hostileClientsNeitherStopTheServerNorTheApplication() throws Exception {
        try (JvmProcess app = sample("host=127.0.0.1,port=0", "400", "--speed", "0.01")) {
            int port = app.metricsPort();
            List<Socket> slow = new ArrayList<>();
            try {
                // Slow clients: a request line, then nothing, holding both server threads and more.
                for (int i = 0; i < 6; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                // The application goes on with its work meanwhile.
                app.awaitStdout("^summary requests=400 ");
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
            for (String garbage : List.of("GARBAGE\r\n\r\n", "GET /metrics HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                    "GET /metrics?name[]=%zz HTTP/1.1\r\nHost: x\r\n\r\n", "\u0000\u0001\u0002\r\n\r\n")) {
                rawExchange(port, garbage);
            }
            List<CompletableFuture<HttpResponse<byte[]>>> scrapes = new ArrayList<>();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 64; i++) {
                scrapes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            int answered = 0;
            for (CompletableFuture<HttpResponse<byte[]>> scrape : scrapes) {
                try {
                    answered += scrape.get(60, TimeUnit.SECONDS).statusCode() == 200 ? 1 : 0;
                } catch (ExecutionException turnedAway) {
                    // a full queue closes the connection: bounded, not an error
                }
            }
            assertTrue(answered > 0, "no concurrent scrape was answered");
            assertEquals(400, Exposition.scrape(port).counter("payment_requests_total"));
            assertTrue(threads(app.pid(), "metrics-http-") <= 2, "more than 2 server threads");
        }
    }

    /**
     * Scrapers that hang up before their answer is written (gone after their timeout, often while
     * queued) leave nothing behind: the JDK's server held each such connection, with its buffers
     * (some 60 KB), until {@code maxRspTime} (600 s) ran out, and the client library logged each
     * failure, with its stack, on the application's stderr.
     */
    @OnEveryJdk
    void scrapersThatHangUpLeaveNoConnectionBehind(String jdk, Path java) throws Exception {
        try (JvmProcess app = AgentJvm.on(java).agent("host=127.0.0.1,port=0").jar(Artifacts.sampleJar())
                .args("--requests", "20", "--speed", "0").start()) {
            int port = app.metricsPort();
            String whole = rawExchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(whole.startsWith("HTTP/1.1 200 "), whole);
            // Beyond the server's 8 KiB output buffer, the body is written after the headers have
            // met the closed socket and brought its reset back.
            assertTrue(whole.length() > 16_384, "a scrape of " + whole.length() + " bytes");
            for (int i = 0; i < 20; i++) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.getOutputStream()
                            .write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long connections;
            do {
                connections = ClassHistogram.of(java, app).instances("sun.net.httpserver.HttpConnection");
            } while (connections > 0 && System.nanoTime() < deadline);
            assertEquals(0, connections, "connections the server holds after 20 scrapers hung up");
            // java.util.logging's records, as the client library's handler would have written them
            assertEquals(List.of(),
                    app.stderr().stream().filter(line -> line.startsWith("SEVERE: ")).collect(Collectors.toList()));
        }
    }

    /** What the server answers {@code request}, as it came; empty when it closed without a word. */
    private static String rawExchange(int port, String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketException reset) {
                return "";
            }
        }
    }

    /** How many threads of the JVM {@code pid} have a name starting with {@code prefix}. */
    private static int threads(long pid, String prefix) throws Exception {
        Process jcmd = new ProcessBuilder(Jdks.current().resolveSibling("jcmd").toString(), String.valueOf(pid), "Thread.print")
                .redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS), "jcmd did not finish");
        assertTrue(dump.contains("Full thread dump"), dump);
        return (int) dump.lines().filter(l -> l.startsWith("\"" + prefix)).count();
    }

    /** A PKCS#12 keystore with a key for 127.0.0.1, password {@code changeit}. */
    private static Path keystore(Path dir) throws Exception {
        Path keystore = dir.resolve("agent.p12");
        Process keytool = new ProcessBuilder(Jdks.current().resolveSibling("keytool").toString(),
                "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit").inheritIO().start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed");
        return keystore;
    }

    private static HttpResponse<String> get(int port, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JvmProcess sample(String agentOptions, String requests, String... extra) throws Exception {
        return AgentJvm.on(Jdks.current()).agent(agentOptions).jar(Artifacts.sampleJar()).args("--requests", requests)
                .args(extra.length == 0 ? new String[] {"--speed", "0"} : extra).start();
    }

    /** The sample served over TLS, its keystore password in the environment variable the agent is told to read. */
    private static JvmProcess tlsSample(Path keystore, String password) throws Exception {
        return AgentJvm.on(Jdks.current())
                .agent("host=127.0.0.1", "port=0", "tls_keystore=" + keystore,
                        "tls_keystore_password_env=AGENT_KEYSTORE_PASSWORD")
                .env("AGENT_KEYSTORE_PASSWORD", password)
                .jar(Artifacts.sampleJar()).args("--requests", "20", "--speed", "0").start();
    }
}
