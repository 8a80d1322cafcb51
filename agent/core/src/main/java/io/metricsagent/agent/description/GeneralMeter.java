package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The families of a generally metered method, whichever reader found it (the {@code @Metered}
 * annotation, a configuration rule): {@code <name>_total} counting calls with {@code outcome} and
 * {@code exception}, {@code <name>_duration_seconds} timing them with {@code outcome}, and
 * optionally a histogram of a number; all with the method's labels. Optionally also
 * {@code <name>_in_flight}, the calls started and not yet finished, with the labels known when a
 * call starts (all but those read from the return value).
 */
final class GeneralMeter {

    private static final Set<String> UNSUFFIXED = Set.of("_total", "_created", "_bucket", "_count", "_sum", "_info");

    private GeneralMeter() {}

    /**
     * @param what how messages name the name's origin, e.g. {@code @Metered(name="x")}
     * @throws IllegalArgumentException when {@code name} cannot be a base name
     */
    static void checkBaseName(String name, String what) {
        if (!FamilySpec.isName(name) || name.startsWith("_")) {
            throw new IllegalArgumentException(what + " is not a valid metric name ([a-zA-Z][a-zA-Z0-9_]*)");
        }
        for (String suffix : UNSUFFIXED) {
            if (name.endsWith(suffix)) {
                throw new IllegalArgumentException(what + " must not end with " + suffix
                        + ": the agent adds _total and _duration_seconds");
            }
        }
    }

    /**
     * @param labelNames the method's labels, with their {@code labels} sources at the same index
     * @param observed   the histogram of {@code number}, labels still to add; or {@code null}
     * @param inFlight   whether to keep {@code <name>_in_flight}
     */
    static MethodMeter describe(String method, String name, String help, double[] buckets, boolean outcome,
                                boolean exception, List<String> labelNames, List<LabelSource> labels,
                                List<ValueSource> values, ValueSource number, FamilySpec.Builder observed,
                                FailureCondition failure, boolean inFlight) {
        FamilySpec.Builder calls = FamilySpec.counter(name + "_total", help);
        FamilySpec.Builder duration = FamilySpec.histogram(name + "_duration_seconds", help + ", duration in seconds",
                buckets, FamilySpec.Observed.DURATION_SECONDS);
        if (outcome) {
            calls.label("outcome", LabelSource.outcome("success", "failure"));
            duration.label("outcome", LabelSource.outcome("success", "failure"));
        }
        if (exception) {
            calls.label("exception", LabelSource.exception("none"));
        }
        for (int i = 0; i < labelNames.size(); i++) {
            calls.label(labelNames.get(i), labels.get(i));
            duration.label(labelNames.get(i), labels.get(i));
            if (observed != null) {
                observed.label(labelNames.get(i), labels.get(i));
            }
        }
        List<FamilySpec> families = new ArrayList<>(List.of(calls.build(), duration.build()));
        if (observed != null) {
            families.add(observed.build());
        }
        if (inFlight) {
            FamilySpec.Builder running = FamilySpec.inFlight(name + "_in_flight", help + ", calls in flight");
            for (int i = 0; i < labelNames.size(); i++) {
                LabelSource label = labels.get(i);
                if (knownOnEntry(label, values)) {
                    running.label(labelNames.get(i), label);
                }
            }
            families.add(running.build());
        }
        return new MethodMeter(method, values, number, Double.NaN, families, failure);
    }

    /** What is known when a call starts: not its return value, outcome or exception, nor a text for its throwing. */
    private static boolean knownOnEntry(LabelSource label, List<ValueSource> values) {
        if (label.kind() == LabelSource.Kind.CONSTANT) {
            return true;
        }
        if (label.kind() == LabelSource.Kind.VALUE) {
            return !values.get(label.value()).isReturnValue();
        }
        if (label.kind() != LabelSource.Kind.DERIVED || label.derived().thrown() != null) {
            return false;
        }
        for (int value : label.derived().values()) {
            if (values.get(value).isReturnValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * One histogram of the calls' durations, named exactly {@code name}, with the method's labels
     * alone: what a rule with {@code histogram:} records; optionally a gauge of the calls in
     * flight, named exactly {@code inFlight}, with the labels {@code inFlightLabels} (known on entry).
     *
     * @throws IllegalArgumentException when {@code name} is no name for a histogram of seconds,
     *                                  or {@code inFlight} no metric name
     */
    static MethodMeter describeHistogram(String method, String name, String help, double[] buckets,
                                         List<String> labelNames, List<LabelSource> labels, List<ValueSource> values,
                                         FailureCondition failure, String inFlight, List<String> inFlightLabels) {
        if (!FamilySpec.isName(name) || name.startsWith("_") || !name.endsWith("_seconds")) {
            throw new IllegalArgumentException("histogram '" + name + "' is not a metric name ending in _seconds"
                    + " ([a-zA-Z][a-zA-Z0-9_]*_seconds): it observes durations in seconds");
        }
        FamilySpec.Builder duration = FamilySpec.histogram(name, help, buckets, FamilySpec.Observed.DURATION_SECONDS);
        for (int i = 0; i < labelNames.size(); i++) {
            duration.label(labelNames.get(i), labels.get(i));
        }
        if (inFlight == null) {
            return new MethodMeter(method, values, null, Double.NaN, List.of(duration.build()), failure);
        }
        if (!FamilySpec.isName(inFlight) || inFlight.startsWith("_")) {
            throw new IllegalArgumentException("in_flight name '" + inFlight + "' is not a valid metric name"
                    + " ([a-zA-Z][a-zA-Z0-9_]*)");
        }
        FamilySpec.Builder running = FamilySpec.inFlight(inFlight, help + ", calls in flight");
        for (String label : inFlightLabels) {
            running.label(label, labels.get(labelNames.indexOf(label)));
        }
        return new MethodMeter(method, values, null, Double.NaN, List.of(duration.build(), running.build()), failure);
    }
}
