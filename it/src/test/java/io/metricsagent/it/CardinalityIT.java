package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A label fed from user input cannot exhaust the heap or the scrape: a million distinct tiers give
 * at most max_series series per metric, every call is still counted (in the overflow series), and
 * the folded calls are reported.
 */
class CardinalityIT {

    private static final int CALLS = 1_000_000;
    private static final int MAX_SERIES = 1000;
    // Each tier takes two payment_requests_total series (success, failed): 500 tiers fit.
    private static final int ADMITTED_TIERS = MAX_SERIES / 2;

    @Test
    void aMillionDistinctLabelValuesKeepHeapAndScrapeBounded() throws Exception {
        try (JvmProcess app = AgentJvm.on(Jdks.current()).flags("-Xmx256m")
                .agent("host=127.0.0.1", "port=0", "host_metrics=false")
                .main(Artifacts.classPath(Artifacts.faultDir(), "fault-app"), "io.metricsagent.it.faults.FaultApp")
                .args("cardinality", String.valueOf(CALLS)).start()) {
            int port = app.metricsPort();
            long heapGrowth = Long.parseLong(app.awaitStdout("^heap growth bytes (-?\\d+)$").group(1));
            app.awaitStdout("^ready$");

            assertTrue(heapGrowth < 16 * 1024 * 1024, "heap grew by " + heapGrowth + " bytes for " + CALLS + " label values");
            byte[] text = Exposition.get(port, "/metrics", "text/plain").body();
            assertTrue(text.length < 1024 * 1024, "text scrape is " + text.length + " bytes");

            Exposition m = Exposition.scrape(port);
            assertEquals(CALLS, m.counter("payment_requests_total"), "every call is counted");
            assertEquals(MAX_SERIES + 2, m.family("payment_requests_total").getMetricCount());
            assertEquals(CALLS - ADMITTED_TIERS, m.counter("payment_requests_total", "user_tier=__overflow__", "status=success"));
            assertEquals(ADMITTED_TIERS + 1, m.family("payment_amount_usd").getMetricCount());
            assertEquals(CALLS - ADMITTED_TIERS, m.histogramCount("payment_amount_usd", "user_tier=__overflow__"));
            assertEquals(CALLS - ADMITTED_TIERS,
                    m.counter("metrics_agent_series_dropped_total", "metric=payment_requests_total"));
            assertEquals(CALLS - ADMITTED_TIERS, m.counter("metrics_agent_series_dropped_total", "metric=payment_amount_usd"));
            assertEquals(1, m.counter("payment_requests_total", "user_tier=tier-0"));
            assertEquals(0, m.series("payment_requests_total", "user_tier=tier-" + ADMITTED_TIERS).size());
        }
    }
}
