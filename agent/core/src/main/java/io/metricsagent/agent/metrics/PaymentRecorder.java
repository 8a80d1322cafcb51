package io.metricsagent.agent.metrics;

import io.metricsagent.agent.metrics.SeriesLimit.Series;
import io.metricsagent.bootstrap.PaymentBridge;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the calls of one {@code @MeteredPayment} method. Its constant labels are fixed when the
 * method is woven, so the client's label children are looked up once per distinct per-call value
 * and then reused: a call costs map reads keyed by the argument itself, with no label arrays
 * built and nothing allocated once a value has been seen. Values beyond the series bound go to
 * the overflow series and are not cached, so the caches stay as bounded as the metrics.
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
    private final ConcurrentHashMap<Object, Distribution> durationByMethod = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, ErrorSeries> errorsByType = new ConcurrentHashMap<>();
    private volatile TierSeries overflowTier;
    private volatile Distribution overflowDuration;
    private volatile ErrorSeries overflowErrors;

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
            tierSeries = tierSeries(tier);
        }
        (thrown == null ? tierSeries.succeeded : tierSeries.failed).inc();
        // NaN or an infinity would poison the histogram's sum for good; the call still counts.
        if (Double.isFinite(value)) {
            tierSeries.amount.observe(value);
        }
        Distribution duration = durationByMethod.get(key(method));
        if (duration == null) {
            duration = duration(method);
        }
        duration.observe(nanos / 1e9);
        if (thrown != null) {
            ErrorSeries errors = errorsByType.get(thrown.getClass());
            if (errors == null) {
                errors = errors(thrown.getClass());
            }
            (value > HIGH_SEVERITY_AMOUNT ? errors.high : errors.medium).inc();
        }
    }

    private TierSeries tierSeries(Object tier) {
        String value = labelValue(tier);
        if (metrics.limit.admit(new Series(PaymentMetrics.REQUESTS, "success", gateway, value),
                new Series(PaymentMetrics.REQUESTS, "failed", gateway, value),
                new Series(PaymentMetrics.AMOUNT, currency, value))) {
            return byTier.computeIfAbsent(key(tier), k -> new TierSeries(value));
        }
        metrics.limit.fold(PaymentMetrics.REQUESTS);
        metrics.limit.fold(PaymentMetrics.AMOUNT);
        TierSeries overflow = overflowTier;
        if (overflow == null) {
            overflowTier = overflow = new TierSeries(SeriesLimit.OVERFLOW);
        }
        return overflow;
    }

    private Distribution duration(Object method) {
        String value = labelValue(method);
        if (metrics.limit.admit(new Series(PaymentMetrics.DURATION, gateway, value))) {
            return durationByMethod.computeIfAbsent(key(method), k -> metrics.duration(gateway, value));
        }
        metrics.limit.fold(PaymentMetrics.DURATION);
        Distribution overflow = overflowDuration;
        if (overflow == null) {
            overflowDuration = overflow = metrics.duration(gateway, SeriesLimit.OVERFLOW);
        }
        return overflow;
    }

    private ErrorSeries errors(Class<?> type) {
        String simpleName = type.getSimpleName();
        String errorType = metrics.truncate(simpleName.isEmpty() ? type.getName() : simpleName); // anonymous classes
        if (metrics.limit.admit(new Series(PaymentMetrics.ERRORS, service, errorType, "medium"),
                new Series(PaymentMetrics.ERRORS, service, errorType, "high"))) {
            return errorsByType.computeIfAbsent(type, k -> new ErrorSeries(errorType));
        }
        metrics.limit.fold(PaymentMetrics.ERRORS);
        ErrorSeries overflow = overflowErrors;
        if (overflow == null) {
            overflowErrors = overflow = new ErrorSeries(SeriesLimit.OVERFLOW);
        }
        return overflow;
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

    private String labelValue(Object labelArgument) {
        return labelArgument == null ? UNKNOWN : metrics.truncate(labelArgument.toString());
    }

    private final class TierSeries {
        final CounterDataPoint succeeded;
        final CounterDataPoint failed;
        final Distribution amount;

        TierSeries(String tier) {
            succeeded = metrics.requests.labelValues("success", gateway, tier);
            failed = metrics.requests.labelValues("failed", gateway, tier);
            amount = metrics.amount(currency, tier);
        }
    }

    private final class ErrorSeries {
        final CounterDataPoint medium;
        final CounterDataPoint high;

        ErrorSeries(String errorType) {
            medium = metrics.errors.labelValues(service, errorType, "medium");
            high = metrics.errors.labelValues(service, errorType, "high");
        }
    }
}
