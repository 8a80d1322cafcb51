package io.metricsagent.agent.description;

/**
 * What a configuration rule records of each method it selects: families of its own
 * ({@link MeteredRecipe}, as {@code @Metered}) or a preset's ({@link PaymentPreset#recipe}).
 * Immutable, and equal when it records the same: a reload keeps what an equal rule wove.
 */
public abstract class Recipe {

    Recipe() {}

    /** How the check command names what the rule records: its metric's base name, or {@code preset payment}. */
    public abstract String title();

    /**
     * @param failedWhen the rule's {@code failed_when}, or {@code null}
     * @throws IllegalArgumentException saying what in the rule does not fit the method
     */
    abstract MethodMeter describe(AnnotatedMethod method, FailedWhen failedWhen);
}
