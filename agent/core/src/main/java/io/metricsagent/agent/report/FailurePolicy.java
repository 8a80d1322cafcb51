package io.metricsagent.agent.report;

/**
 * The one owner of what a failure to start does to the JVM, decided from {@code strict} (as far as
 * the options could be read, command line or config file) and from how the agent was loaded.
 * Every failure is one {@code [metrics-agent]} line; then:
 *
 * <ul>
 *   <li>without {@code strict=true} the application runs on;
 *   <li>with {@code strict=true} and {@code -javaagent}, a bad configuration or an endpoint that
 *       cannot be served at start stops the JVM with exit code 1: the user asked for a JVM that
 *       does not run without its metrics, and it has done no work yet;
 *   <li>with {@code strict=true} and an attach, the application runs on all the same: it is
 *       already at work. Nor does agentmain throw to fail the attach command: the JVM would print
 *       the exception with a screenful of its own assertion lines into the application's stderr.
 * </ul>
 */
public final class FailurePolicy {

    private final boolean strict;
    private final boolean attached;

    public FailurePolicy(boolean strict, boolean attached) {
        this.strict = strict;
        this.attached = attached;
    }

    /** Whether the agent was loaded into a running JVM (by attach) rather than with -javaagent. */
    public boolean attached() {
        return attached;
    }

    /** Whether a failure this policy handles ends the JVM. */
    boolean stopsJvm() {
        return strict && !attached;
    }

    /**
     * Reports {@code problem} (and its {@code cause}, when there is one) in one line, then stops
     * the JVM with exit code 1, or returns and the agent goes on as {@code goesOn} tells the user.
     */
    public void failed(String problem, Throwable cause, String goesOn) {
        String line = problem + (cause == null ? "" : ": " + AgentLog.describe(cause)) + "; ";
        if (stopsJvm()) {
            AgentLog.info(line + "strict=true, stopping the JVM");
            System.exit(1);
        }
        AgentLog.info(line + goesOn + (strict ? " (strict=true never stops a JVM the agent was attached to)" : ""));
    }
}
