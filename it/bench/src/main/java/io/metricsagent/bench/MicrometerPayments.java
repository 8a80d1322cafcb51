package io.metricsagent.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same body with Micrometer (SimpleMeterRegistry), meters built once for the known tiers and
 * methods, with the contract's buckets as service-level objectives.
 */
public final class MicrometerPayments {

    private static final class TierMeters {
        final Counter succeeded;
        final Counter failed;
        final DistributionSummary amount;

        TierMeters(MeterRegistry registry, String tier) {
            succeeded = Counter.builder("payment_requests").tags("status", "success", "gateway", "stripe", "user_tier", tier)
                    .register(registry);
            failed = Counter.builder("payment_requests").tags("status", "failed", "gateway", "stripe", "user_tier", tier)
                    .register(registry);
            amount = DistributionSummary.builder("payment_amount_usd").tags("currency", "USD", "user_tier", tier)
                    .serviceLevelObjectives(1, 10, 50, 100, 500, 1000, 5000)
                    .register(registry);
        }
    }

    private final Map<String, TierMeters> byTier = new HashMap<>();
    private final Map<String, Timer> durationByMethod = new HashMap<>();
    private final Counter declinedMedium;
    private final Counter declinedHigh;

    public MicrometerPayments(String[] tiers, String[] methods) {
        MeterRegistry registry = new SimpleMeterRegistry();
        for (String tier : tiers) {
            byTier.put(tier, new TierMeters(registry, tier));
        }
        for (String method : methods) {
            durationByMethod.put(method, Timer.builder("payment_duration").tags("gateway", "stripe", "payment_method", method)
                    .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10))
                    .register(registry));
        }
        String errorType = PaymentDeclinedException.class.getSimpleName();
        declinedMedium = Counter.builder("errors").tags("service", "payment", "error_type", errorType, "severity", "medium")
                .register(registry);
        declinedHigh = Counter.builder("errors").tags("service", "payment", "error_type", errorType, "severity", "high")
                .register(registry);
    }

    public long charge(long orderNo, double amount, String tier, String method) {
        long start = System.nanoTime();
        TierMeters meters = byTier.get(tier);
        try {
            long result = PaymentWork.process(orderNo, amount, tier, method);
            meters.succeeded.increment();
            return result;
        } catch (PaymentDeclinedException e) {
            meters.failed.increment();
            (amount > 1000 ? declinedHigh : declinedMedium).increment();
            throw e;
        } finally {
            durationByMethod.get(method).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            meters.amount.record(amount);
        }
    }
}
