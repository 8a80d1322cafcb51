package io.metricsagent.agent.report;

/**
 * The agent's only voice: one line on stderr, prefixed so that it stands out in the
 * application's own output. The agent bundles no logging framework and touches none of the
 * application's.
 */
public final class AgentLog {

    /** Room for the longest message the agent writes, the list of its options. */
    static final int MAX_CHARS = 2000;

    private AgentLog() {}

    public static void info(String message) {
        System.err.println(line(message));
    }

    public static void warn(String message, Throwable cause) {
        System.err.println(line(message + ": " + describe(cause)));
    }

    /**
     * {@code message} as the one line the agent prints: a bad option or file quoted back may hold
     * line breaks and other control characters, which are escaped as a Java literal would have them,
     * or be a megabyte long, which is cut to {@value #MAX_CHARS} characters.
     */
    public static String line(String message) {
        StringBuilder line = new StringBuilder("[metrics-agent] ");
        int end = Math.min(message.length(), MAX_CHARS);
        for (int i = 0; i < end; i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else if (c == '\t') {
                line.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        if (end < message.length()) {
            line.append("... (").append(message.length() - end).append(" more characters)");
        }
        return line.toString();
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
