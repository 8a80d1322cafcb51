package io.metricsagent.it.hostile;

/** An application-defined {@link Error}. */
final class HostileError extends Error {

    private static final long serialVersionUID = 1L;

    HostileError(String message) {
        super(message);
    }
}
