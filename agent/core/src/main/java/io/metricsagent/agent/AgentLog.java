package io.metricsagent.agent;

/**
 * The agent's only voice: one line on stderr, prefixed so that it stands out in the
 * application's own output. The agent bundles no logging framework and touches none of the
 * application's.
 */
public final class AgentLog {

    private AgentLog() {}

    public static void info(String message) {
        System.err.println("[metrics-agent] " + message);
    }

    public static void warn(String message, Throwable cause) {
        System.err.println("[metrics-agent] " + message + ": " + describe(cause));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + message;
    }
}
