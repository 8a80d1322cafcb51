package io.metricsagent.bench;

/** The same body, instrumented by hand: {@code labelValues(...)} on every call. */
public final class HandWrittenLabelValuesPayments {

    private final HandWrittenMetrics metrics = new HandWrittenMetrics();

    public long charge(long orderNo, double amount, String tier, String method) {
        long start = System.nanoTime();
        String status = "success";
        try {
            return PaymentWork.process(orderNo, amount, tier, method);
        } catch (RuntimeException e) {
            status = "failed";
            metrics.errors.labelValues(HandWrittenMetrics.SERVICE, e.getClass().getSimpleName(),
                    amount > 1000 ? "high" : "medium").inc();
            throw e;
        } finally {
            metrics.requests.labelValues(status, HandWrittenMetrics.GATEWAY, tier).inc();
            metrics.duration.labelValues(HandWrittenMetrics.GATEWAY, method).observe((System.nanoTime() - start) / 1e9);
            metrics.amount.labelValues(HandWrittenMetrics.CURRENCY, tier).observe(amount);
        }
    }
}
