package io.metricsagent.agent.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's only voice: one line on stderr, prefixed so that it stands out in the
 * application's own output. The agent bundles no logging framework and touches none of the
 * application's. The last {@value #KEPT} lines are also kept for the status page, since stderr
 * may go where the operator looking at the page cannot read it.
 */
public final class AgentLog {

    /** Room for the longest message the agent writes, the list of its options. */
    static final int MAX_CHARS = 2000;
    private static final String PREFIX = "[metrics-agent] ";
    static final int KEPT = 20;
    private static final ArrayDeque<Line> RECENT = new ArrayDeque<>(KEPT);

    private AgentLog() {}

    /** A line the agent wrote, and when. */
    public static final class Line {
        public final long atMillis;
        public final String message;

        Line(long atMillis, String message) {
            this.atMillis = atMillis;
            this.message = message;
        }
    }

    public static void info(String message) {
        say(message);
    }

    public static void warn(String message, Throwable cause) {
        say(message + ": " + describe(cause));
    }

    private static void say(String message) {
        String line = line(message);
        System.err.println(line);
        synchronized (RECENT) {
            if (RECENT.size() == KEPT) {
                RECENT.removeFirst();
            }
            RECENT.addLast(new Line(System.currentTimeMillis(), line.substring(PREFIX.length())));
        }
    }

    /** The last lines written, oldest first, without their prefix. */
    public static List<Line> recent() {
        synchronized (RECENT) {
            return new ArrayList<>(RECENT);
        }
    }

    /**
     * {@code message} as the one line the agent prints: a bad option or file quoted back may hold
     * line breaks and other control characters, which are escaped as a Java literal would have them,
     * or be a megabyte long, which is cut to {@value #MAX_CHARS} characters.
     */
    public static String line(String message) {
        StringBuilder line = new StringBuilder(PREFIX);
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
