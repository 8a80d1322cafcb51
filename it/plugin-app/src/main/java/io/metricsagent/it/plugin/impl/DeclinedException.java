package io.metricsagent.it.plugin.impl;

/** The plugin's own exception class: the agent must not keep it, nor its loader, alive. */
final class DeclinedException extends RuntimeException {
    DeclinedException(String message) {
        super(message);
    }
}
