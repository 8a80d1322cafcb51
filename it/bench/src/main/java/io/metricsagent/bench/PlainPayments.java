package io.metricsagent.bench;

/** No instrumentation: the floor. Also the target of {@code otel.instrumentation.methods.include}. */
public final class PlainPayments {

    public long charge(long orderNo, double amount, String tier, String method) {
        return PaymentWork.process(orderNo, amount, tier, method);
    }
}
