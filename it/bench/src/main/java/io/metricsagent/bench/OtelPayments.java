package io.metricsagent.bench;

import io.opentelemetry.instrumentation.annotations.WithSpan;

/** The same body with {@code @WithSpan}: the OpenTelemetry Java agent opens a span per call. */
public final class OtelPayments {

    @WithSpan
    public long charge(long orderNo, double amount, String tier, String method) {
        return PaymentWork.process(orderNo, amount, tier, method);
    }
}
