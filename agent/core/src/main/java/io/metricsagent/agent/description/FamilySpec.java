package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** One metric family a metered method records into: its name, type, labels and what it observes. */
public final class FamilySpec {

    /** The family's type; a method's gauge counts its calls in flight. */
    public enum Type { COUNTER, HISTOGRAM, GAUGE }

    /** What a histogram observes. */
    public enum Observed { DURATION_SECONDS, NUMBER }

    private final String name;
    private final String help;
    private final Type type;
    private final List<String> labelNames;
    private final List<LabelSource> labels;
    private final double[] buckets;
    private final Observed observed;
    private final boolean failuresOnly;

    private FamilySpec(Builder b) {
        name = b.name;
        help = b.help;
        type = b.type;
        labelNames = Collections.unmodifiableList(new ArrayList<>(b.labelNames));
        labels = Collections.unmodifiableList(new ArrayList<>(b.labels));
        buckets = b.buckets;
        observed = b.observed;
        failuresOnly = b.failuresOnly;
    }

    /** A counter of calls; {@code name} as exposed, ending in {@code _total}. */
    public static Builder counter(String name, String help) {
        return new Builder(name, help, Type.COUNTER, null, null);
    }

    public static Builder histogram(String name, String help, double[] buckets, Observed observed) {
        return new Builder(name, help, Type.HISTOGRAM, buckets.clone(), observed);
    }

    /** A gauge of the calls started and not yet finished. */
    public static Builder inFlight(String name, String help) {
        return new Builder(name, help, Type.GAUGE, null, null);
    }

    /**
     * Whether {@code name} is {@code [a-zA-Z_][a-zA-Z0-9_]*}, the metric and label names
     * Prometheus has always accepted; checked without java.util.regex, since this runs when the
     * application's first annotated class loads.
     */
    public static boolean isName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** The name as exposed: a counter's ends in {@code _total}. */
    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public Type type() {
        return type;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** The source of each label, in the order of {@link #labelNames()}. */
    public List<LabelSource> labels() {
        return labels;
    }

    /** A histogram's upper bounds, without {@code +Inf}; {@code null} for a counter or gauge. */
    public double[] buckets() {
        return buckets == null ? null : buckets.clone();
    }

    public Observed observed() {
        return observed;
    }

    /** Recorded only when the call fails. */
    public boolean failuresOnly() {
        return failuresOnly;
    }

    /** Whether the two describe the same family, so that methods can share it. */
    public boolean sameShape(FamilySpec other) {
        return name.equals(other.name) && type == other.type && labelNames.equals(other.labelNames)
                && Arrays.equals(buckets, other.buckets);
    }

    public static final class Builder {
        private final String name;
        private final String help;
        private final Type type;
        private final double[] buckets;
        private final Observed observed;
        private final List<String> labelNames = new ArrayList<>();
        private final List<LabelSource> labels = new ArrayList<>();
        private boolean failuresOnly;

        private Builder(String name, String help, Type type, double[] buckets, Observed observed) {
            this.name = name;
            this.help = help;
            this.type = type;
            this.buckets = buckets;
            this.observed = observed;
        }

        public Builder label(String labelName, LabelSource source) {
            labelNames.add(labelName);
            labels.add(source);
            return this;
        }

        public Builder failuresOnly() {
            failuresOnly = true;
            return this;
        }

        public FamilySpec build() {
            return new FamilySpec(this);
        }
    }
}
