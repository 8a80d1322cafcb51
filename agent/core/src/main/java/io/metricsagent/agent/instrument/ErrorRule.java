package io.metricsagent.agent.instrument;

/**
 * One exception classification entry of a configuration rule: what the method throws, of a type
 * or a subclass of it (and, with {@code causes}, anywhere in the cause chain of what is thrown),
 * is recorded with a given exception label, and optionally a given severity instead of the one
 * the amount decides. Types are kept by name: the agent never holds an application class.
 */
public final class ErrorRule {

    /** {@link #severity()} when the method's number decides it, as without a rule. */
    public static final int BY_NUMBER = -1;
    /** {@link #severity()}: the severity label's text at or below the threshold. */
    public static final int OTHERWISE = 0;
    /** {@link #severity()}: the severity label's text above the threshold. */
    public static final int ABOVE = 1;

    private final String type;
    private final String errorType;
    private final int severity;
    private final boolean causes;

    /**
     * @param type      a class's name as {@link Class#getName()} gives it
     * @param errorType the exception label's value for what it matches
     * @param severity  {@link #BY_NUMBER}, {@link #OTHERWISE} or {@link #ABOVE}
     * @param causes    whether it also matches anywhere in the cause chain of what is thrown
     */
    public ErrorRule(String type, String errorType, int severity, boolean causes) {
        this.type = type;
        this.errorType = errorType;
        this.severity = severity;
        this.causes = causes;
    }

    public String type() {
        return type;
    }

    public String errorType() {
        return errorType;
    }

    public int severity() {
        return severity;
    }

    public boolean causes() {
        return causes;
    }
}
