package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of sample JVMs under the agent, each on its own port with its own constant labels, as
 * Prometheus sees it at three levels: a Prometheus that finds them through {@code file_sd} (a file
 * this test writes and rewrites as a fourth JVM joins and one leaves), a second that federates the
 * first, and a third that receives everything by remote write, standing in for Thanos or Mimir. At
 * each level the sums over the instances equal what the JVMs say they did, and {@code up} shows
 * the JVM that left. The JVMs run on the build's JDK: what is tested here is the servers' view.
 */
class FleetIT {

    private static final String PAYMENTS = "{job=\"payments\"}";

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private Path targets;

    @Test
    void scrapedFederatedAndRemoteWrittenTheFleetAddsUpToWhatItsJvmsDid() throws Exception {
        try {
            Jvm eu = start("eu", 3);
            Jvm us = start("us", 4);
            Jvm ap = start("ap", 5);
            eu.pay(100);
            us.pay(200);
            ap.pay(300);
            everySeriesServedHasTheConstantLabels(eu);
            PromProcess receiver = started(PromProcess.prometheus("receiver", dir, "global: {}\n",
                    "--web.enable-remote-write-receiver"));
            targets = Files.createDirectories(dir.resolve("targets"));
            writeTargets(eu, us, ap);
            PromProcess scraper = started(PromProcess.prometheus("scraper", dir, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: payments
                        file_sd_configs:
                          - files: ['%s/*.json']
                            refresh_interval: 1s
                    remote_write:
                      - url: http://%s/api/v1/write
                        queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
                    """.formatted(targets, receiver.address())));
            PromProcess federator = started(PromProcess.prometheus("federator", dir, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: federate
                        honor_labels: true
                        # Federated samples come with their timestamps, and Prometheus marks no series
                        # stale that came with one: a JVM that left would stay for the 5 minute lookback.
                        honor_timestamps: false
                        metrics_path: /federate
                        params:
                          'match[]': ['%s']
                        static_configs:
                          - targets: ['%s']
                    """.formatted(PAYMENTS, scraper.address())));
            List<PromProcess> levels = List.of(scraper, federator, receiver);

            awaitFleet(levels, List.of(eu, us, ap), List.of());

            Jvm sa = start("sa", 6);
            sa.pay(50);
            writeTargets(eu, us, ap, sa);
            awaitFleet(levels, List.of(eu, us, ap, sa), List.of());

            us.process.close();
            awaitFleet(levels, List.of(eu, ap, sa), List.of(us));

            writeTargets(eu, ap, sa);
            for (PromProcess level : levels) {
                level.awaitValues("up" + PAYMENTS, "instance", instances(List.of(eu, ap, sa), 1.0));
            }
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
        }
    }

    /** Payment and fraud families, the pool and host gauges, the agent's own: every sample line is labelled. */
    private static void everySeriesServedHasTheConstantLabels(Jvm jvm) throws Exception {
        int port = Integer.parseInt(jvm.instance.substring(jvm.instance.indexOf(':') + 1));
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        String text = text(port);
        // The host's CPU is served from its second sample on.
        while (!text.contains("\ncpu_usage_percent{") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            text = text(port);
        }
        for (String family : List.of("payment_requests_total", "fraud_checks_total", "database_connections_active",
                "memory_usage_bytes", "cpu_usage_percent", "metrics_agent_info", "metrics_agent_internal_errors_total")) {
            assertTrue(text.contains("\n" + family + "{"), family + " is not served:\n" + text);
        }
        List<String> unlabelled = text.lines()
                .filter(line -> !line.startsWith("#"))
                .filter(line -> !line.contains("env=\"fleet\"") || !line.contains("region=\"" + jvm.region + "\""))
                .collect(Collectors.toList());
        assertEquals(List.of(), unlabelled, text);
    }

    private static String text(int port) throws Exception {
        return new String(Exposition.get(port, "/metrics", "text/plain").body(), StandardCharsets.UTF_8);
    }

    /**
     * At every level: payments by the JVMs' own {@code region} label and by status, each equal to
     * what the live JVMs printed, the agent's own series labelled too, and {@code up} 1 for the live
     * JVMs and 0 for those that stopped but are still listed.
     */
    private static void awaitFleet(List<PromProcess> levels, List<Jvm> live, List<Jvm> stopped) throws Exception {
        Map<String, Double> byRegion = new TreeMap<>();
        Map<String, Double> byStatus = new TreeMap<>();
        for (Jvm jvm : live) {
            byRegion.put(jvm.region, jvm.requests);
            byStatus.merge("success", jvm.succeeded, Double::sum);
            byStatus.merge("failed", jvm.failed, Double::sum);
        }
        Map<String, Double> up = instances(live, 1.0);
        up.putAll(instances(stopped, 0.0));
        Map<String, Double> one = new TreeMap<>();
        live.forEach(jvm -> one.put(jvm.region, 1.0));
        for (PromProcess level : levels) {
            level.awaitValues("sum by (region) (payment_requests_total" + PAYMENTS + ")", "region", byRegion);
            level.awaitValues("sum by (status) (payment_requests_total" + PAYMENTS + ")", "status", byStatus);
            level.awaitValues("sum by (region) (fraud_checks_total" + PAYMENTS + ")", "region", byRegion);
            level.awaitValues("count by (region) (metrics_agent_info{job=\"payments\",env=\"fleet\"})", "region", one);
            level.awaitValues("up" + PAYMENTS, "instance", up);
        }
    }

    private static Map<String, Double> instances(List<Jvm> jvms, double value) {
        Map<String, Double> values = new TreeMap<>();
        jvms.forEach(jvm -> values.put(jvm.instance, value));
        return values;
    }

    /** A sample JVM under the agent, labelled with its region, making payments as the test asks. */
    private Jvm start(String region, long seed) throws Exception {
        JvmProcess process = JvmProcess.start(Jdks.current(), List.of(
                "-javaagent:" + Artifacts.agentJar() + "=port=0,host=127.0.0.1,interval=1,labels=env:fleet;region:" + region,
                "-jar", Artifacts.sampleJar().toString(), "--stdin", "--speed", "0", "--seed", String.valueOf(seed)));
        running.add(process);
        return new Jvm(process, region);
    }

    private PromProcess started(PromProcess server) {
        running.add(server);
        return server;
    }

    /** The file_sd file, replaced in one move so that Prometheus never reads half of it. */
    private void writeTargets(Jvm... jvms) throws Exception {
        String list = List.of(jvms).stream().map(jvm -> "\"" + jvm.instance + "\"").collect(Collectors.joining(", "));
        Path next = targets.resolve("fleet.json.next");
        Files.writeString(next, "[{\"targets\": [" + list + "], \"labels\": {\"tier\": \"web\"}}]\n");
        Files.move(next, targets.resolve("fleet.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static final class Jvm {
        final JvmProcess process;
        final String region;
        String instance;
        double requests;
        double succeeded;
        double failed;

        Jvm(JvmProcess process, String region) {
            this.process = process;
            this.region = region;
        }

        /** One round of {@code payments} payments, and what the JVM printed they did. */
        void pay(int payments) throws Exception {
            process.send(String.valueOf(payments));
            Matcher summary = process.awaitStdout("^summary requests=(\\d+) succeeded=(\\d+) failed=(\\d+) ");
            assertEquals(payments, Integer.parseInt(summary.group(1)), process::describe);
            requests = payments;
            succeeded = Double.parseDouble(summary.group(2));
            failed = Double.parseDouble(summary.group(3));
            instance = "127.0.0.1:" + process.metricsPort();
        }
    }
}
