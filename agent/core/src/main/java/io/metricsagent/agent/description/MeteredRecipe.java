package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rule with a {@code name}: the families {@code @Metered} records ({@code NAME_total},
 * {@code NAME_duration_seconds}, and those its options add), with labels that are constants or
 * values the call reads. What it leaves out takes {@code @Metered}'s defaults. Or a rule with a
 * {@code histogram}: one histogram of durations named exactly so, with the rule's labels alone,
 * which may be the call's outcome and exception under names and texts of the rule's choosing.
 */
public final class MeteredRecipe extends Recipe {

    /** A label whose value is the simple name of the class that declares the method: one rule, many classes. */
    static final String CLASS = "$class";
    /** A label whose value is the method's name: one rule, many methods. */
    static final String METHOD = "$method";

    private final String name;
    /** Whether {@code name} is the one histogram's, exactly, rather than the base of {@code @Metered}'s families. */
    private final boolean histogram;
    private final String help;
    private final double[] buckets;
    private final boolean outcome;
    private final boolean exception;
    private final Map<String, String> constants;
    /** By label name: a value of the call, as a {@code String}, or a {@link LabelSource} of its outcome or exception. */
    private final Map<String, Object> labels;
    private final Observe observe;
    private final boolean inFlight;
    /** A histogram rule's in-flight gauge, exactly so named, or {@code null}. */
    private final String inFlightName;
    private final List<String> inFlightLabels;

    private MeteredRecipe(Builder b) {
        name = b.name;
        histogram = b.histogram;
        help = b.help;
        buckets = b.buckets;
        outcome = b.outcome;
        exception = b.exception;
        constants = Collections.unmodifiableMap(new LinkedHashMap<>(b.constants));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
        observe = b.observe;
        inFlight = b.inFlight;
        inFlightName = b.inFlightName;
        inFlightLabels = List.copyOf(b.inFlightLabels);
    }

    /** @param name the base of the metric names; checked when a method is woven, as {@code @Metered}'s is */
    public static Builder named(String name) {
        return new Builder(name, false);
    }

    /** @param name the histogram's name, exactly; checked when a method is woven */
    public static Builder histogram(String name) {
        return new Builder(name, true);
    }

    @Override
    public String title() {
        return name;
    }

    /** Whether the exception label is recorded ({@code exception:}), which {@code errors:} classify. */
    public boolean exception() {
        return exception;
    }

    @Override
    MethodMeter describe(AnnotatedMethod method, FailedWhen failedWhen) {
        if (!histogram) {
            GeneralMeter.checkBaseName(name, "name '" + name + "'");
        }
        List<ValueSource> values = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        List<LabelSource> labelSources = new ArrayList<>();
        for (Map.Entry<String, String> constant : constants.entrySet()) {
            labelNames.add(constant.getKey());
            labelSources.add(LabelSource.constant(constant.getValue()));
        }
        for (Map.Entry<String, Object> label : labels.entrySet()) {
            labelNames.add(label.getKey());
            if (label.getValue() instanceof LabelSource) {
                LabelSource source = (LabelSource) label.getValue();
                labelSources.add(source.kind() == LabelSource.Kind.DERIVED
                        ? LabelSource.derived(reading(source.derived(), method, values)) : source);
                continue;
            }
            String spec = (String) label.getValue();
            if (spec.equals(CLASS)) {
                labelSources.add(LabelSource.constant(RuleReader.simpleName(method.className())));
            } else if (spec.equals(METHOD)) {
                labelSources.add(LabelSource.constant(method.name()));
            } else if (Recall.is(spec)) {
                labelSources.add(LabelSource.derived(
                        reading(DerivedLabel.of(List.of(spec), false, null, null), method, values)));
            } else {
                labelSources.add(LabelSource.value(AnnotationReader.add(values, RuleReader.source(spec, method))));
            }
        }
        ValueSource number = null;
        FamilySpec.Builder observed = null;
        if (observe != null) {
            number = RuleReader.source(observe.value, method);
            observed = FamilySpec.histogram(observe.name,
                    observe.help != null ? observe.help : "Values of " + observe.value + " in " + method.describe(),
                    AnnotationReader.increasing("buckets", observe.buckets, AnnotationReader.DEFAULT_OBSERVE_BUCKETS),
                    FamilySpec.Observed.NUMBER);
        }
        FailureCondition failure = failedWhen == null ? null : failedWhen.condition(method, values);
        String helpText = help != null && !help.isEmpty() ? help : "Calls of " + method.describe();
        double[] durations = AnnotationReader.increasing("buckets", buckets, AnnotationReader.DEFAULT_DURATION_BUCKETS);
        if (histogram) {
            return GeneralMeter.describeHistogram(method.describe(), name, helpText, durations, labelNames, labelSources,
                    values, failure, inFlightName, inFlightLabels);
        }
        return GeneralMeter.describe(method.describe(), name, helpText,
                AnnotationReader.increasing("buckets", buckets, AnnotationReader.DEFAULT_DURATION_BUCKETS), outcome,
                exception, labelNames, labelSources, values, number, observed, failure, inFlight);
    }

    /**
     * A label object's values in this method, added to {@code values} (a recall's object, for a
     * {@code recall(OBJECT, NAME)} entry); an entry of {@code first_of} the method cannot give is
     * left out, as long as one is left.
     */
    private static DerivedLabel reading(DerivedLabel label, AnnotatedMethod method, List<ValueSource> values) {
        List<Integer> indexes = new ArrayList<>();
        List<String> recalled = new ArrayList<>();
        IllegalArgumentException unreadable = null;
        for (String spec : label.specs()) {
            boolean recall = Recall.is(spec);
            try {
                ValueSource source = RuleReader.source(recall ? Recall.object(spec) : spec, method);
                indexes.add(AnnotationReader.add(values, label.isReadOnEntry() ? source.readOnEntry() : source));
                recalled.add(recall ? Recall.name(spec) : null);
            } catch (IllegalArgumentException e) {
                if (!label.firstOf()) {
                    throw e;
                }
                unreadable = unreadable == null ? e : unreadable;
            }
        }
        if (indexes.isEmpty()) {
            throw unreadable;
        }
        int[] read = new int[indexes.size()];
        for (int i = 0; i < read.length; i++) {
            read[i] = indexes.get(i);
        }
        return label.reading(read, recalled);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MeteredRecipe)) {
            return false;
        }
        MeteredRecipe other = (MeteredRecipe) o;
        return name.equals(other.name) && histogram == other.histogram && Objects.equals(help, other.help)
                && Arrays.equals(buckets, other.buckets)
                && outcome == other.outcome && exception == other.exception && constants.equals(other.constants)
                && labels.equals(other.labels) && Objects.equals(observe, other.observe) && inFlight == other.inFlight
                && Objects.equals(inFlightName, other.inFlightName) && inFlightLabels.equals(other.inFlightLabels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, histogram, help, Arrays.hashCode(buckets), outcome, exception, constants, labels, observe,
                inFlight, inFlightName, inFlightLabels);
    }

    /** {@code observe:}: a value of each call, a number, recorded in a histogram of its own. */
    public static final class Observe {
        final String name;
        final String help;
        final String value;
        final double[] buckets;

        /**
         * @param value   what is read, as a label's value is named
         * @param help    {@code null} for the default, which names the value and the method
         * @param buckets {@code null} for {@code @Metered.Observe}'s
         */
        public Observe(String name, String help, String value, double[] buckets) {
            this.name = name;
            this.help = help;
            this.value = value;
            this.buckets = buckets == null ? null : buckets.clone();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Observe)) {
                return false;
            }
            Observe other = (Observe) o;
            return name.equals(other.name) && Objects.equals(help, other.help) && value.equals(other.value)
                    && Arrays.equals(buckets, other.buckets);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, help, value, Arrays.hashCode(buckets));
        }
    }

    /** What a rule gives; what it leaves out is {@code @Metered}'s default. */
    public static final class Builder {
        private final String name;
        private final boolean histogram;
        private String help;
        private double[] buckets;
        private boolean outcome = true;
        private boolean exception = true;
        private final Map<String, String> constants = new LinkedHashMap<>();
        private final Map<String, Object> labels = new LinkedHashMap<>();
        private Observe observe;
        private boolean inFlight;
        private String inFlightName;
        private final List<String> inFlightLabels = new ArrayList<>();

        private Builder(String name, boolean histogram) {
            this.name = name;
            this.histogram = histogram;
        }

        public Builder help(String text) {
            help = text;
            return this;
        }

        /** The duration histogram's buckets, in seconds. */
        public Builder buckets(double[] upperBounds) {
            buckets = upperBounds.clone();
            return this;
        }

        /** Whether {@code NAME_total} has the {@code outcome} label; a histogram has the labels it is given only. */
        public Builder outcome(boolean on) {
            outcome = on;
            return this;
        }

        /** Whether failures carry the {@code exception} label. */
        public Builder exception(boolean on) {
            exception = on;
            return this;
        }

        /** A label of one value on every series of the rule; constants come before {@link #label}s. */
        public Builder constant(String label, String value) {
            constants.put(label, value);
            return this;
        }

        /** @param value a value of the call ({@code args[0].tier}, {@code return.status}), {@code $class} or {@code $method} */
        public Builder label(String label, String value) {
            labels.put(label, value);
            return this;
        }

        /**
         * A label of what became of the call: {@code success} or {@code failure} text
         * ({@link LabelSource#outcome}), or the exception's class name, classified by the
         * rule's {@code errors:}, else the text of none ({@link LabelSource#exception}); or a
         * label object ({@link LabelSource#derived}).
         */
        public Builder label(String label, LabelSource source) {
            if (source.kind() != LabelSource.Kind.OUTCOME && source.kind() != LabelSource.Kind.EXCEPTION
                    && source.kind() != LabelSource.Kind.DERIVED) {
                throw new IllegalArgumentException("label " + label + ": only the outcome, the exception or a label object");
            }
            labels.put(label, source);
            return this;
        }

        public Builder observe(Observe what) {
            observe = what;
            return this;
        }

        /** Whether {@code NAME_in_flight} counts the calls started and not finished. */
        public Builder inFlight(boolean on) {
            inFlight = on;
            return this;
        }

        /** A histogram rule's gauge of calls in flight, named exactly, with these of the rule's labels. */
        public Builder inFlight(String gaugeName, List<String> labelNames) {
            inFlightName = gaugeName;
            inFlightLabels.clear();
            inFlightLabels.addAll(labelNames);
            return this;
        }

        /**
         * @throws IllegalArgumentException when the exception labels name it in two ways, or
         *                                  another than the rule's own exception label; or an
         *                                  in-flight label is not known when a call starts
         */
        public MeteredRecipe build() {
            LabelSource naming = null;
            for (Map.Entry<String, Object> label : labels.entrySet()) {
                if (!(label.getValue() instanceof LabelSource)
                        || ((LabelSource) label.getValue()).kind() != LabelSource.Kind.EXCEPTION) {
                    continue;
                }
                LabelSource exceptionLabel = (LabelSource) label.getValue();
                if (!histogram && exception && (exceptionLabel.className() || !exceptionLabel.unwrap().isEmpty())) {
                    throw new IllegalArgumentException("label " + label.getKey() + ": class_name and unwrap are for a"
                            + " rule with a histogram or exception: false; this rule's exception label is the simple name");
                }
                if (naming != null && (naming.className() != exceptionLabel.className()
                        || !naming.unwrap().equals(exceptionLabel.unwrap()))) {
                    throw new IllegalArgumentException("label " + label.getKey() + " names the exception otherwise than"
                            + " an earlier label: a rule names it one way");
                }
                naming = exceptionLabel;
            }
            for (String label : inFlightLabels) {
                String known = knownOnEntry(label);
                if (known != null) {
                    throw new IllegalArgumentException("in_flight label " + label + " " + known);
                }
            }
            return new MeteredRecipe(this);
        }

        /** {@code null} when the label's value is known when a call starts, else why not. */
        private String knownOnEntry(String label) {
            if (constants.containsKey(label)) {
                return null;
            }
            Object source = labels.get(label);
            if (source == null) {
                return "is not one of the rule's labels";
            }
            List<String> specs = List.of();
            if (source instanceof String) {
                specs = List.of((String) source);
            } else if (((LabelSource) source).kind() == LabelSource.Kind.DERIVED) {
                DerivedLabel derived = ((LabelSource) source).derived();
                if (derived.thrown() != null) {
                    return "is not known when a call starts: its thrown text is decided at the end";
                }
                specs = derived.specs();
            } else {
                return "is not known when a call starts: it is the call's outcome or exception";
            }
            for (String spec : specs) {
                String read = Recall.is(spec) ? Recall.object(spec) : spec;
                if (read.equals("return") || read.startsWith("return.")) {
                    return "is not known when a call starts: it reads the return value";
                }
            }
            return null;
        }
    }
}
