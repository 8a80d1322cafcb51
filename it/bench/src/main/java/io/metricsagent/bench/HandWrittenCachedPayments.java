package io.metricsagent.bench;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.HashMap;
import java.util.Map;

/**
 * The same body, instrumented by hand with every label child looked up once, at start-up, for the
 * tiers and methods the application knows: a call costs two map reads. The floor for client code.
 */
public final class HandWrittenCachedPayments {

    private static final class TierSeries {
        final CounterDataPoint succeeded;
        final CounterDataPoint failed;
        final DistributionDataPoint amount;

        TierSeries(HandWrittenMetrics metrics, String tier) {
            succeeded = metrics.requests.labelValues("success", HandWrittenMetrics.GATEWAY, tier);
            failed = metrics.requests.labelValues("failed", HandWrittenMetrics.GATEWAY, tier);
            amount = metrics.amount.labelValues(HandWrittenMetrics.CURRENCY, tier);
        }
    }

    private final Map<String, TierSeries> byTier = new HashMap<>();
    private final Map<String, DistributionDataPoint> durationByMethod = new HashMap<>();
    private final CounterDataPoint declinedMedium;
    private final CounterDataPoint declinedHigh;

    public HandWrittenCachedPayments(String[] tiers, String[] methods) {
        HandWrittenMetrics metrics = new HandWrittenMetrics();
        for (String tier : tiers) {
            byTier.put(tier, new TierSeries(metrics, tier));
        }
        for (String method : methods) {
            durationByMethod.put(method, metrics.duration.labelValues(HandWrittenMetrics.GATEWAY, method));
        }
        String errorType = PaymentDeclinedException.class.getSimpleName();
        declinedMedium = metrics.errors.labelValues(HandWrittenMetrics.SERVICE, errorType, "medium");
        declinedHigh = metrics.errors.labelValues(HandWrittenMetrics.SERVICE, errorType, "high");
    }

    public long charge(long orderNo, double amount, String tier, String method) {
        long start = System.nanoTime();
        TierSeries series = byTier.get(tier);
        try {
            long result = PaymentWork.process(orderNo, amount, tier, method);
            series.succeeded.inc();
            return result;
        } catch (PaymentDeclinedException e) {
            series.failed.inc();
            (amount > 1000 ? declinedHigh : declinedMedium).inc();
            throw e;
        } finally {
            durationByMethod.get(method).observe((System.nanoTime() - start) / 1e9);
            series.amount.observe(amount);
        }
    }
}
