package io.metricsagent.bench;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The agent's metric contract written by hand with prometheus-metrics-core, as a careful engineer
 * would: classic buckets only, exemplars off, a private registry. Shared by both hand-written
 * variants (each fork loads only the one it runs).
 */
final class HandWrittenMetrics {

    static final String GATEWAY = "stripe";
    static final String CURRENCY = "USD";
    static final String SERVICE = "payment";

    final PrometheusRegistry registry = new PrometheusRegistry();

    final Counter requests = Counter.builder()
            .name("payment_requests_total")
            .help("Total number of payment requests")
            .labelNames("status", "gateway", "user_tier")
            .withoutExemplars()
            .register(registry);

    final Histogram duration = Histogram.builder()
            .name("payment_duration_seconds")
            .help("Payment processing duration")
            .labelNames("gateway", "payment_method")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars()
            .register(registry);

    final Histogram amount = Histogram.builder()
            .name("payment_amount_usd")
            .help("Payment amounts in USD")
            .labelNames("currency", "user_tier")
            .classicOnly()
            .classicUpperBounds(1, 10, 50, 100, 500, 1000, 5000)
            .withoutExemplars()
            .register(registry);

    final Counter errors = Counter.builder()
            .name("errors_total")
            .help("Total number of errors")
            .labelNames("service", "error_type", "severity")
            .withoutExemplars()
            .register(registry);
}
