package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of sample JVMs under the agent, each on its own port with its own constant labels, as
 * Prometheus sees it at three levels: a Prometheus that finds them through {@code file_sd} (a file
 * this test writes and rewrites as a fourth JVM joins and one leaves), a second that federates the
 * first, and a third that receives everything by remote write, standing in for Thanos or Mimir. At
 * each level the sums over the instances equal what the JVMs say they did, and {@code up} shows
 * the JVM that left. The first Prometheus evaluates the shipped recording rules and alerts over
 * the fleet. The JVMs run on the build's JDK: what is tested here is the servers' view.
 */
class FleetIT {

    /** The job the shipped alerts expect: its targets are the agents. */
    private static final String PAYMENTS = "{job=\"" + PrometheusServer.JOB + "\"}";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final double POOL_SIZE = 20;
    private static final Pattern SUMMARY = Pattern.compile(
            "^summary requests=(\\d+) succeeded=(\\d+) failed=(\\d+) .*pool_active=(\\d+)");

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
            PrometheusServer receiver = started(PrometheusServer.start(dir.resolve("receiver"), config("global: {}\n"),
                    "--web.enable-remote-write-receiver"));
            targets = Files.createDirectories(dir.resolve("targets"));
            writeTargets(eu, us, ap);
            PrometheusServer scraper = started(PrometheusServer.start(dir.resolve("scraper"), config("""
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files: [%s]
                    scrape_configs:
                      - job_name: %s
                        file_sd_configs:
                          - files: ['%s/*.json']
                            refresh_interval: 1s
                    remote_write:
                      - url: http://%s/api/v1/write
                        queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
                    """.formatted(Monitoring.ruleFiles().stream().map(f -> "'" + f.toAbsolutePath() + "'")
                            .collect(Collectors.joining(", ")), PrometheusServer.JOB, targets, receiver.address()))));
            PrometheusServer federator = started(PrometheusServer.start(dir.resolve("federator"), config("""
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
                    """.formatted(PAYMENTS, scraper.address()))));
            List<PrometheusServer> levels = List.of(scraper, federator, receiver);

            awaitFleet(levels, List.of(eu, us, ap), List.of());

            Jvm sa = start("sa", 6);
            sa.pay(50);
            writeTargets(eu, us, ap, sa);
            awaitFleet(levels, List.of(eu, us, ap, sa), List.of());

            // A second round, so that the rules' 5-minute rates have something to measure.
            for (Jvm jvm : List.of(eu, us, ap, sa)) {
                jvm.pay(25);
            }
            awaitFleet(levels, List.of(eu, us, ap, sa), List.of());
            theShippedRulesAggregatePerInstanceAndOverTheFleet(scraper, List.of(eu, us, ap, sa));

            us.process.close();
            awaitFleet(levels, List.of(eu, ap, sa), List.of(us));
            scraper.awaitValues("count by (instance) (ALERTS{alertname=\"MetricsAgentDown\",alertstate=\"pending\"})",
                    "instance", instances(List.of(us), 1.0), WAIT);

            writeTargets(eu, ap, sa);
            for (PrometheusServer level : levels) {
                level.awaitValues("up" + PAYMENTS, "instance", instances(List.of(eu, ap, sa), 1.0), WAIT);
            }
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
        }
    }

    /**
     * The recording rules and alerts of {@code monitoring/prometheus}, evaluated by the scraping
     * Prometheus: the per-instance series, one for each JVM, and the job's, equal to the sums of the
     * instances' at the same evaluation; the pool usage, a gauge, exactly as the JVMs report their
     * pools; and a per-instance alert pending for each JVM whose pool is over 90 %.
     */
    private static void theShippedRulesAggregatePerInstanceAndOverTheFleet(PrometheusServer scraper, List<Jvm> jvms)
            throws Exception {
        scraper.await("instance_status:payment_requests:rate5m" + selector("status=\"success\"") + " > 0",
                samples -> samples.size() == jvms.size(), WAIT, "a payment rate for every instance");
        double at = scraper.await("timestamp(job:payment_requests_success:percent_rate5m" + PAYMENTS + ")",
                samples -> samples.size() == 1, WAIT, "the job's success rate").get(0).value;
        List<PrometheusServer.Sample> perInstance = scraper.query("instance:payment_requests_success:percent_rate5m"
                + PAYMENTS, at);
        assertEquals(instances(jvms, 1.0).keySet(), perInstance.stream().map(sample -> sample.label("instance"))
                .collect(Collectors.toSet()), perInstance::toString);
        double fleet = scraper.query("job:payment_requests_success:percent_rate5m" + PAYMENTS, at).get(0).value;
        double summed = scraper.query("100 * sum(instance_status:payment_requests:rate5m" + selector("status=\"success\"")
                + ") / sum(instance_status:payment_requests:rate5m" + PAYMENTS + ")", at).get(0).value;
        assertEquals(summed, fleet, 1e-9 * summed, "the job's success rate is not its instances' summed rates'");
        assertTrue(fleet > 0 && fleet < 100, "success rate " + fleet);

        Map<String, Double> usage = new TreeMap<>();
        Map<String, Double> pending = new TreeMap<>();
        double active = 0;
        for (Jvm jvm : jvms) {
            usage.put(jvm.instance, 100 * jvm.poolActive / POOL_SIZE);
            if (jvm.poolActive > 0.9 * POOL_SIZE) {
                pending.put(jvm.instance, 1.0);
            }
            active += jvm.poolActive;
        }
        assertEquals(jvms.size(), pending.size(), "the sample's pool fills to its size: " + usage);
        scraper.awaitValues("instance_database_pool:database_connections_active:percent_of_max" + PAYMENTS, "instance",
                usage, WAIT);
        scraper.awaitValues("job_database_pool:database_connections_active:percent_of_max" + PAYMENTS, "job",
                Map.of(PrometheusServer.JOB, 100 * active / (POOL_SIZE * jvms.size())), WAIT);
        scraper.awaitValues("count by (instance) (ALERTS{alertname=\"DatabasePoolNearlyExhausted\",alertstate=\"pending\"})",
                "instance", pending, WAIT);
    }

    private static String selector(String matcher) {
        return "{job=\"" + PrometheusServer.JOB + "\"," + matcher + "}";
    }

    /** Payment and fraud families, the pool and host gauges, the JVM's and the agent's own: every sample line is labelled. */
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
                "memory_usage_bytes", "cpu_usage_percent", "jvm_memory_used_bytes", "process_cpu_seconds_total",
                "metrics_agent_info", "metrics_agent_internal_errors_total")) {
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
    private static void awaitFleet(List<PrometheusServer> levels, List<Jvm> live, List<Jvm> stopped) throws Exception {
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
        for (PrometheusServer level : levels) {
            level.awaitValues("sum by (region) (payment_requests_total" + PAYMENTS + ")", "region", byRegion, WAIT);
            level.awaitValues("sum by (status) (payment_requests_total" + PAYMENTS + ")", "status", byStatus, WAIT);
            level.awaitValues("sum by (region) (fraud_checks_total" + PAYMENTS + ")", "region", byRegion, WAIT);
            level.awaitValues("count by (region) (metrics_agent_info" + selector("env=\"fleet\"") + ")", "region", one, WAIT);
            level.awaitValues("up" + PAYMENTS, "instance", up, WAIT);
        }
    }

    private static Map<String, Double> instances(List<Jvm> jvms, double value) {
        Map<String, Double> values = new TreeMap<>();
        jvms.forEach(jvm -> values.put(jvm.instance, value));
        return values;
    }

    /** A sample JVM under the agent, labelled with its region, making payments as the test asks. */
    private Jvm start(String region, long seed) throws Exception {
        JvmProcess process = AgentJvm.on(Jdks.current())
                .agent("port=0", "host=127.0.0.1", "interval=1", "labels=env:fleet;region:" + region)
                .jar(Artifacts.sampleJar())
                .args("--stdin", "--speed", "0", "--seed", String.valueOf(seed)).start();
        running.add(process);
        return new Jvm(process, region);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(String yaml) {
        return (Map<String, Object>) Monitoring.parse(yaml);
    }

    private PrometheusServer started(PrometheusServer server) {
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
        double poolActive;

        Jvm(JvmProcess process, String region) {
            this.process = process;
            this.region = region;
        }

        private int rounds;

        /** One more round of {@code payments} payments, and what the JVM printed they did. */
        void pay(int payments) throws Exception {
            process.send(String.valueOf(payments));
            rounds++;
            long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
            List<String> summaries = summaries();
            while (summaries.size() < rounds && System.nanoTime() < deadline) {
                Thread.sleep(20);
                summaries = summaries();
            }
            assertEquals(rounds, summaries.size(), process::describe);
            Matcher summary = SUMMARY.matcher(summaries.get(rounds - 1));
            assertTrue(summary.find(), summaries::toString);
            assertEquals(payments, Integer.parseInt(summary.group(1)), process::describe);
            requests += payments;
            succeeded += Double.parseDouble(summary.group(2));
            failed += Double.parseDouble(summary.group(3));
            poolActive = Double.parseDouble(summary.group(4));
            instance = "127.0.0.1:" + process.metricsPort();
        }

        private List<String> summaries() {
            return process.stdout().stream().filter(line -> line.startsWith("summary ")).collect(Collectors.toList());
        }
    }
}
