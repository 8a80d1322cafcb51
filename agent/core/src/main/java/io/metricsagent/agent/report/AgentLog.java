package io.metricsagent.agent.report;

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

    // The root cause names the real trouble; wrappers such as ExceptionInInitializerError do not.
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getName() : root.getClass().getSimpleName() + ": " + message;
    }
}
