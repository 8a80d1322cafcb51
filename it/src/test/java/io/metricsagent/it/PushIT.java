package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short-lived JVMs push to a real Pushgateway, which a real Prometheus scrapes with
 * {@code honor_labels: true}: what reaches Prometheus is exactly what the job did, though it ran
 * for less time than the agent takes to open its endpoint. A gateway that is down or never
 * answers costs one line and at most {@code push_timeout}; basic auth and TLS as configured.
 */
class PushIT {

    static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    static Path dir;
    private static ChildServer gateway;
    private static String gatewayAddress;
    private static PrometheusServer prometheus;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void servers() throws Exception {
        int port = MonitoringTools.freePort();
        gatewayAddress = "127.0.0.1:" + port;
        gateway = ChildServer.start("pushgateway", MonitoringTools.command(MonitoringTools.pushgateway(),
                "--web.listen-address=" + gatewayAddress, IN_MEMORY), port, dir.resolve("pushgateway"));
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), (Map<String, Object>) Monitoring.parse("""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs:
                      - targets: ['%s']
                """.formatted(gatewayAddress)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @OnEveryJdk
    void aBatchJobOf200PaymentsPushesAtExitExactlyWhatItDid(String jdk, Path java) throws Exception {
        String selector = "job=\"payments_batch\",instance=\"" + jdk + "\"";
        try (JvmProcess job = AgentJvm.on(java)
                .agent("port=0", "host=127.0.0.1", "labels=env:batch;team:payments", "push_url=http://" + gatewayAddress,
                        "push_job=payments_batch", "push_grouping=instance:" + jdk)
                .jar(Artifacts.sampleJar())
                .args("--requests", "200", "--threads", "2", "--speed", "0", "--seed", "42", "--exit").start()) {
            assertEquals(0, job.awaitExit(), job::describe);
            Matcher summary = job.awaitStdout("^summary requests=200 succeeded=(\\d+) failed=(\\d+) ");
            double succeeded = Double.parseDouble(summary.group(1));
            double failed = Double.parseDouble(summary.group(2));
            assertEquals(List.of(), agentLinesBut(job, "serving metrics on "), job::describe);

            prometheus.awaitValues("sum by (status) (payment_requests_total{" + selector + ",env=\"batch\",team=\"payments\"})",
                    "status", Map.of("success", succeeded, "failed", failed), WAIT);
            prometheus.awaitValues("sum(errors_total{" + selector + "})", "", Map.of("", failed), WAIT);
            prometheus.awaitValues("sum(fraud_checks_total{" + selector + "})", "", Map.of("", 200.0), WAIT);
            prometheus.awaitValues("sum(payment_duration_seconds_count{" + selector + "})", "", Map.of("", 200.0), WAIT);
            prometheus.awaitValues("count(metrics_agent_info{" + selector + ",env=\"batch\"})", "", Map.of("", 1.0), WAIT);
            // The JVM's own metrics too, though the job ended before the agent's start-up thread registered them.
            prometheus.awaitValues("count(jvm_runtime_info{" + selector + ",env=\"batch\"})", "", Map.of("", 1.0), WAIT);
            prometheus.await("process_cpu_seconds_total{" + selector + ",env=\"batch\"}",
                    samples -> samples.size() == 1 && samples.get(0).value > 0, WAIT, "the job's CPU time");
            prometheus.await("push_time_seconds{" + selector + "}", samples -> samples.size() == 1 && samples.get(0).value > 0,
                    WAIT, "the gateway's push time of the group");
        }
    }

    @Test
    void aGatewayThatIsDownIsOneLineAndTheJobEndsAsIfItWereNotThere() throws Exception {
        int closed = MonitoringTools.freePort();
        try (JvmProcess job = batch("push_url=http://127.0.0.1:" + closed + ",push_job=down,push_timeout=3", "20")) {
            assertEquals(0, job.awaitExit(), job::describe);
            job.awaitStdout("^summary requests=20 ");
            assertEquals(List.of("[metrics-agent] push to http://127.0.0.1:" + closed + "/metrics/job/down at exit failed:"
                    + " ConnectException: Connection refused; what this run recorded since its last push is not on the"
                    + " Pushgateway"), agentLinesBut(job, "serving metrics on "), job::describe);
        }
    }

    @Test
    void aGatewayThatNeverAnswersHoldsTheExitUpAtMostPushTimeout() throws Exception {
        // The kernel accepts the connection into the backlog; nothing ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort();
            try (JvmProcess job = batch("push_url=" + url + ",push_job=silent,push_timeout=1", "20")) {
                job.awaitStdout("^scenario order_5 ");
                long mainDone = System.nanoTime();
                assertEquals(0, job.awaitExit(), job::describe);
                long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mainDone);
                assertTrue(exitMillis < 1000 + 2000, "the JVM took " + exitMillis + " ms to exit after main; push_timeout=1");
                List<String> lines = agentLinesBut(job, "serving metrics on ");
                assertEquals(1, lines.size(), job::describe);
                assertTrue(lines.get(0).startsWith("[metrics-agent] push to " + url + "/metrics/job/silent at exit "), job::describe);
            }
        }
    }

    /**
     * A gateway down for {@value #DOWN_SECONDS} s of pushes every second: one line when it goes, one
     * when it comes back, no thread or heap after GC gained meanwhile, and the first push after
     * its return carries what was recorded while it was down.
     */
    @Test
    void aGatewayThatIsDownForAWhileCostsNothingAndItsReturnCarriesTheTotals() throws Exception {
        int port = MonitoringTools.freePort();
        String url = "http://127.0.0.1:" + port;
        try (JvmProcess job = AgentJvm.on(Jdks.current())
                .agent("port=0", "host=127.0.0.1", "host_metrics=false", "push_url=" + url, "push_job=returning",
                        "push_interval=1")
                .jar(Artifacts.sampleJar())
                .args("--stdin", "--speed", "0", "--seed", "5", "--exit").start()) {
            job.send("10");
            job.awaitStdout("^summary requests=10 ");
            job.awaitStderr("^\\[metrics-agent] push to " + url + "/metrics/job/returning failed: ");
            // Both rounds before the heap is first read: the second's new series are the metrics', not growth.
            job.send("15");
            job.awaitStdout("^summary requests=15 ");
            Thread.sleep(3000);
            long heapBefore = ClassHistogram.of(Jdks.current(), job).bytes;
            List<String> threadsBefore = threads(job);
            Thread.sleep(DOWN_SECONDS * 1000L);
            long heapAfter = ClassHistogram.of(Jdks.current(), job).bytes;
            List<String> threadsAfter = threads(job);
            try (ChildServer returned = ChildServer.start("pushgateway", MonitoringTools.command(MonitoringTools.pushgateway(),
                    "--web.listen-address=127.0.0.1:" + port, IN_MEMORY), port, dir.resolve("returned"))) {
                job.awaitStderr("^\\[metrics-agent] push to " + url + "/metrics/job/returning succeeded again$");
                assertEquals(25.0, returned.get("/metrics").body().lines()
                        .filter(l -> l.startsWith("payment_requests_total{") && l.contains("job=\"returning\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
                assertEquals(List.of("[metrics-agent] push to " + url + "/metrics/job/returning failed: ConnectException:"
                        + " Connection refused; tried again every 1 s and at exit, and said once it works again",
                        "[metrics-agent] push to " + url + "/metrics/job/returning succeeded again"),
                        agentLinesBut(job, "serving metrics on "), job::describe);
                job.send(null);
                assertEquals(0, job.awaitExit(), job::describe);
            }
            assertEquals(threadsBefore, threadsAfter, "threads of the JVM before and after " + DOWN_SECONDS + " s of failed pushes");
            assertTrue(heapAfter - heapBefore < 512 * 1024, "heap after GC grew from " + heapBefore + " to " + heapAfter);
            System.out.printf("%d s of failed pushes: threads %d -> %d, heap after GC %d -> %d KiB%n", DOWN_SECONDS,
                    threadsBefore.size(), threadsAfter.size(), heapBefore / 1024, heapAfter / 1024);
        }
    }

    static final int DOWN_SECONDS = 30;
    /**
     * Debian's gateway keeps its groups in a file by default and loads them at start: an earlier
     * run's totals would stand in for a push that never came.
     */
    private static final String IN_MEMORY = "--persistence.file=";

    /** The names of the JVM's Java threads but its compiler's, which come and go with the JIT's work. */
    private static List<String> threads(JvmProcess job) throws Exception {
        return run(Jdks.current().resolveSibling("jcmd").toString(), String.valueOf(job.pid()), "Thread.print").lines()
                .filter(l -> l.startsWith("\"")).map(l -> l.substring(1, l.indexOf('"', 1)))
                .filter(name -> !name.contains("CompilerThread") && !name.equals("Attach Listener")).sorted()
                .collect(Collectors.toList());
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return out;
    }

    @Test
    void periodicPushesKeepTheGatewayCurrentAndTheLastOneIsAtExit() throws Exception {
        try (JvmProcess job = AgentJvm.on(Jdks.current())
                .agent("port=0", "host=127.0.0.1", "push_url=http://" + gatewayAddress, "push_job=periodic", "push_interval=1")
                .jar(Artifacts.sampleJar())
                .args("--stdin", "--speed", "0", "--seed", "3", "--exit").start()) {
            job.send("10");
            awaitGatewayTotal("periodic", 10);
            job.send("15");
            awaitGatewayTotal("periodic", 25);
            job.send("7");
            job.send(null);
            assertEquals(0, job.awaitExit(), job::describe);
            // The hook waited for the push at exit, which carries the last round whatever the interval did.
            assertEquals(32.0, gatewayTotal("periodic"));
            assertEquals(List.of(), agentLinesBut(job, "serving metrics on "), job::describe);
        }
    }

    @Test
    void basicAuthAndTlsWithAPrivateTruststore() throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Jdks.current().resolveSibling("keytool").toString(),
                "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit").inheritIO().start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed");
        Path storePassword = Files.writeString(dir.resolve("store-password"), "changeit\n");
        Path password = Files.writeString(dir.resolve("push-password"), "pässwörd\n");
        Path wrong = Files.writeString(dir.resolve("wrong-password"), "guess\n");
        String expected = "Basic " + Base64.getEncoder().encodeToString("pusher:pässwörd".getBytes(StandardCharsets.UTF_8));

        List<String> requests = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keystore)));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean allowed = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + allowed + "\n"
                    + new String(body, StandardCharsets.UTF_8));
            byte[] answer = (allowed ? "" : "unauthorized\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(allowed ? 200 : 401, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/gateway";
            String push = "push_url=" + url + "/,push_job=secure,push_grouping=path:/var/tmp,push_auth_user=pusher,";
            String trust = ",push_tls_truststore=" + keystore + ",push_tls_truststore_password_file=" + storePassword;
            String path = "/gateway/metrics/job/secure/path@base64/L3Zhci90bXA=";

            try (JvmProcess job = batch(push + "push_auth_password_file=" + password + trust, "20")) {
                assertEquals(0, job.awaitExit(), job::describe);
                assertEquals(List.of(), agentLinesBut(job, "serving metrics on "), job::describe);
            }
            assertEquals(1, requests.size(), requests::toString);
            String request = requests.get(0);
            assertTrue(request.startsWith("PUT " + path + " text/plain; version=0.0.4; charset=utf-8 true\n"), request);
            double total = request.lines().filter(l -> l.startsWith("payment_requests_total{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertEquals(20.0, total, request);

            try (JvmProcess job = batch(push + "push_auth_password_file=" + wrong + trust, "5")) {
                assertEquals(0, job.awaitExit(), job::describe);
                assertEquals(List.of("[metrics-agent] push to " + url + path.substring("/gateway".length()) + " at exit"
                        + " failed: IOException: HTTP 401 Unauthorized; what this run recorded since its last push is not"
                        + " on the Pushgateway"), agentLinesBut(job, "serving metrics on "), job::describe);
            }
            try (JvmProcess job = batch(push + "push_auth_password_file=" + password, "5")) {
                assertEquals(0, job.awaitExit(), job::describe);
                List<String> lines = agentLinesBut(job, "serving metrics on ");
                assertEquals(1, lines.size(), job::describe);
                assertTrue(lines.get(0).contains(" at exit failed: SunCertPathBuilderException: unable to find valid"
                        + " certification path"), job::describe);
            }
            assertEquals(List.of(true, false), requests.stream().map(r -> r.contains(" true\n")).collect(Collectors.toList()));
        } finally {
            server.stop(0);
        }
    }

    private static SSLContext sslContext(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static JvmProcess batch(String agentOptions, String requests) throws Exception {
        return AgentJvm.on(Jdks.current()).agent("port=0", "host=127.0.0.1", agentOptions)
                .jar(Artifacts.sampleJar())
                .args("--requests", requests, "--speed", "0", "--seed", "5", "--exit").start();
    }

    /** The agent's lines on stderr, less those starting with {@code ignored} after the prefix. */
    static List<String> agentLinesBut(JvmProcess job, String ignored) {
        List<String> lines = new ArrayList<>();
        for (String line : job.stderr()) {
            if (line.startsWith("[metrics-agent] ") && !line.startsWith("[metrics-agent] " + ignored)) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void awaitGatewayTotal(String job, double expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double total = Double.NaN;
        while (System.nanoTime() < deadline) {
            total = gatewayTotal(job);
            if (total == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway held " + total + " payments of job " + job + ", not " + expected);
    }

    /** payment_requests_total summed over the gateway's group of {@code job}, read from the gateway itself. */
    private static double gatewayTotal(String job) throws Exception {
        return gateway.get("/metrics").body().lines()
                .filter(l -> l.startsWith("payment_requests_total{") && l.contains("job=\"" + job + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
