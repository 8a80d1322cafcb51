package io.metricsagent.agent.weaving;

/**
 * How a test calls the woven {@link Exchanges} without reflection, which would allocate per call:
 * a type of the test's loader, which the woven class's own loader takes from its parent.
 */
public interface ExchangeHandler {
    void handle(Exchanges.Exchange exchange);
}
