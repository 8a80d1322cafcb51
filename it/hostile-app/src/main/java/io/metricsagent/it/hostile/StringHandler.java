package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/**
 * javac generates the bridge {@code handle(Object)}, copying the annotation onto it; the agent
 * skips bridges, so a call through the interface counts once.
 */
final class StringHandler implements Handler<String> {

    @Override
    @MeteredPayment(gateway = "case_bridge", currency = "case_bridge", service = "case_bridge")
    public String handle(@MeteredPayment.UserTier String value) {
        if (value.equals("boom")) {
            throw Cases.remember(new IllegalArgumentException("bridge " + value));
        }
        return "handled " + value;
    }
}
