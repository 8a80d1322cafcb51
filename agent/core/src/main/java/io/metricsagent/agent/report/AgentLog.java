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
        System.err.println("[metrics-agent] " + message);
        synchronized (RECENT) {
            if (RECENT.size() == KEPT) {
                RECENT.removeFirst();
            }
            RECENT.addLast(new Line(System.currentTimeMillis(), message));
        }
    }

    /** The last lines written, oldest first. */
    public static List<Line> recent() {
        synchronized (RECENT) {
            return new ArrayList<>(RECENT);
        }
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
