package io.metricsagent.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Meters every call of a method: counts it, times it and, on a failure, names the exception.
 * Without the agent the annotation does nothing.
 *
 * <pre>{@code
 * @Metered(name = "orders_placed", help = "Orders placed", labels = "service=shop",
 *          returnLabel = "verdict=status")
 * Receipt place(@Metered.Label("region") String region,
 *               @Metered.Label(value = "tier", path = "customer.tier") Order order,
 *               @Metered.Observe(name = "order_value_usd", help = "Order values") double value) { ... }
 * }</pre>
 *
 * gives, for {@code name = "orders_placed"}:
 *
 * <pre>
 * orders_placed_total{outcome, exception, service, region, tier, verdict}     calls
 * orders_placed_duration_seconds{outcome, service, region, tier, verdict}    wall time, histogram
 * order_value_usd{service, region, tier, verdict}                            the observed parameter, histogram
 * </pre>
 *
 * {@code outcome} is {@code success} or {@code failure} (the call threw), {@code exception} the
 * simple class name of what it threw, or {@code none}. A label whose argument, return value or
 * path is {@code null} reads {@code unknown}. The agent reads all of this once, when the class
 * loads, and refuses (with one line, leaving the method unmetered) a name that is not a valid
 * Prometheus name or that another metric already uses with another type or other labels.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Metered {

    /**
     * The base name: {@code <name>_total} counts calls and {@code <name>_duration_seconds} times
     * them. Lower case with underscores, without a suffix such as {@code _total}.
     */
    String name();

    /** What the method does, for the help texts; when empty, the class and method name. */
    String help() default "";

    /** Constant labels as {@code key=value} pairs. */
    String[] labels() default {};

    /** Upper bounds of the duration histogram, in seconds. */
    double[] buckets() default {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** {@code false} drops the {@code outcome} label from both families. */
    boolean outcome() default true;

    /** {@code false} drops the {@code exception} label from {@code <name>_total}. */
    boolean exception() default true;

    /**
     * A label from the return value: {@code "label"} for its {@code toString()}, or
     * {@code "label=path"} for a getter or field path into it such as {@code "verdict=status"}.
     * A call that throws reads {@code unknown}.
     */
    String returnLabel() default "";

    /**
     * Which calls count: {@link Nesting#ALL} every one (a recursive call too), or
     * {@link Nesting#OUTERMOST} only the outermost on a thread among the methods of the same
     * {@link #name()} (or of the same {@link #nestingGroup()}), so that an override calling
     * {@code super}, a wrapper calling what it wraps, or recursion counts one call. The outermost
     * call's labels and duration are recorded.
     */
    Nesting nesting() default Nesting.ALL;

    /**
     * Counts only the outermost call on a thread among all methods of this group, whichever
     * annotation or configuration rule ({@code nesting_group}) names it; implies
     * {@link Nesting#OUTERMOST}. Empty: the group is the metric's {@link #name()}.
     */
    String nestingGroup() default "";

    /**
     * {@code true} adds the gauge {@code <name>_in_flight}: calls started and not yet finished,
     * with the method's labels that are known when a call starts (not {@link #returnLabel()}).
     */
    boolean inFlight() default false;

    /** Which of several nested calls count; see {@link Metered#nesting()}. */
    enum Nesting {
        /** Every call. */
        ALL,
        /** Only the outermost call on a thread among the methods of a group. */
        OUTERMOST
    }

    /** A label from this parameter: its {@code toString()}, or that of the value at {@link #path()}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Label {
        /** The label name. */
        String value();

        /**
         * Getters or fields into the argument, dot-separated: {@code customer.tier} reads
         * {@code getCustomer().getTier()} (or {@code isTier()}, {@code tier()}, or a field
         * {@code tier}), each public or visible from the annotated class.
         */
        String path() default "";
    }

    /**
     * Observes this numeric parameter (any primitive number or {@link Number}, or a number at
     * {@link #path()}) in a histogram of its own, with the method's labels except
     * {@code outcome} and {@code exception}. NaN, infinities and {@code null} are not observed.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Observe {
        /** The histogram's full name, with its unit, e.g. {@code order_value_usd}. */
        String name();

        /** The histogram's help text; when empty, derived from the name. */
        String help() default "";

        /** Its upper bounds. */
        double[] buckets() default {1, 10, 100, 1000, 10000};

        /** A getter or field path into the argument, as for {@link Label#path()}. */
        String path() default "";
    }
}
