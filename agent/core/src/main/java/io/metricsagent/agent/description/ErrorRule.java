package io.metricsagent.agent.description;

import java.util.Objects;

/**
 * One exception classification entry of a configuration rule: what the method throws, of a type
 * or a subclass of it (and, with {@code causes}, anywhere in the cause chain of what is thrown),
 * is recorded with a given exception label, and optionally a given severity instead of the one
 * the amount decides. Types are kept by name: the agent never holds an application class.
 */
public final class ErrorRule {

    /** The severity label of what an entry matches. */
    public enum Severity {
        /** Decided by the method's number, as without a rule. */
        BY_NUMBER,
        /** The severity label's text at or below the threshold. */
        OTHERWISE,
        /** The severity label's text above the threshold. */
        ABOVE
    }

    private final String type;
    private final String errorType;
    private final Severity severity;
    private final boolean causes;

    /**
     * @param type      a class's name as {@link Class#getName()} gives it
     * @param errorType the exception label's value for what it matches
     * @param causes    whether it also matches anywhere in the cause chain of what is thrown
     */
    public ErrorRule(String type, String errorType, Severity severity, boolean causes) {
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

    public Severity severity() {
        return severity;
    }

    public boolean causes() {
        return causes;
    }

    /** The same entry wherever in the file: a reload keeps what a rule of equal entries wove. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ErrorRule)) {
            return false;
        }
        ErrorRule other = (ErrorRule) o;
        return type.equals(other.type) && errorType.equals(other.errorType) && severity == other.severity
                && causes == other.causes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, errorType, severity, causes);
    }
}
