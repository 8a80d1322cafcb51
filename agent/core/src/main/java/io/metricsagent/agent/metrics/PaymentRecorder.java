package io.metricsagent.agent.metrics;

import io.metricsagent.bootstrap.PaymentBridge;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the calls of one {@code @MeteredPayment} method. Its constant labels are fixed when the
 * method is woven, so the client's label children are looked up once per distinct per-call value
 * and then reused: a call costs map reads keyed by the argument itself, with no label arrays
 * built and nothing allocated once a value has been seen.
 */
public final class PaymentRecorder implements PaymentBridge.Recorder {

    static final String UNKNOWN = "unknown";
    private static final Object NULL_KEY = new Object();
    private static final double HIGH_SEVERITY_AMOUNT = 1000;

    private final PaymentMetrics metrics;
    private final String gateway;
    private final String currency;
    private final String service;
    private final ConcurrentHashMap<Object, TierSeries> byTier = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, DistributionDataPoint> durationByMethod = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, ErrorSeries> errorsByType = new ConcurrentHashMap<>();

    PaymentRecorder(PaymentMetrics metrics, String gateway, String currency, String service) {
        this.metrics = metrics;
        this.gateway = gateway;
        this.currency = currency;
        this.service = service;
    }

    @Override
    public void record(long nanos, double amount, Object amountRef, Object tier, Object method, Throwable thrown) {
        double value = amountRef instanceof Number ? ((Number) amountRef).doubleValue() : amount;
        TierSeries tierSeries = byTier.get(key(tier));
        if (tierSeries == null) {
            tierSeries = byTier.computeIfAbsent(key(tier), k -> new TierSeries(labelValue(tier)));
        }
        (thrown == null ? tierSeries.succeeded : tierSeries.failed).inc();
        tierSeries.amount.observe(value);
        DistributionDataPoint duration = durationByMethod.get(key(method));
        if (duration == null) {
            duration = durationByMethod.computeIfAbsent(key(method),
                    k -> metrics.duration.labelValues(gateway, labelValue(method)));
        }
        duration.observe(nanos / 1e9);
        if (thrown != null) {
            ErrorSeries errors = errorsByType.get(thrown.getClass());
            if (errors == null) {
                errors = errorsByType.computeIfAbsent(thrown.getClass(), ErrorSeries::new);
            }
            (value > HIGH_SEVERITY_AMOUNT ? errors.high : errors.medium).inc();
        }
    }

    // Strings and enums are immutable, so they can key the cache themselves; anything else is
    // keyed by its text of the moment.
    private static Object key(Object labelArgument) {
        if (labelArgument == null) {
            return NULL_KEY;
        }
        if (labelArgument instanceof String || labelArgument instanceof Enum) {
            return labelArgument;
        }
        return String.valueOf(labelArgument);
    }

    private static String labelValue(Object labelArgument) {
        return labelArgument == null ? UNKNOWN : labelArgument.toString();
    }

    private final class TierSeries {
        final CounterDataPoint succeeded;
        final CounterDataPoint failed;
        final DistributionDataPoint amount;

        TierSeries(String tier) {
            succeeded = metrics.requests.labelValues("success", gateway, tier);
            failed = metrics.requests.labelValues("failed", gateway, tier);
            amount = metrics.amount.labelValues(currency, tier);
        }
    }

    private final class ErrorSeries {
        final CounterDataPoint medium;
        final CounterDataPoint high;

        ErrorSeries(Class<?> type) {
            String simpleName = type.getSimpleName();
            String errorType = simpleName.isEmpty() ? type.getName() : simpleName; // anonymous classes
            medium = metrics.errors.labelValues(service, errorType, "medium");
            high = metrics.errors.labelValues(service, errorType, "high");
        }
    }
}
