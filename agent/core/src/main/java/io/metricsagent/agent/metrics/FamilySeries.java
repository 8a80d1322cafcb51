package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.metricsagent.agent.description.LabelSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The series plan of one family as one method records into it: which of the method's per-call
 * values key its series, which series a call can land in (its outcome, severity and exception
 * fixed as far as they can be before the call) and their label values, and what a call adds to
 * the one it lands in.
 */
final class FamilySeries {

    final Family family;
    final String name;
    private final LabelSource[] labels;
    private final String[] constants;
    /** The method's value indexes this family's labels read, in the order first read. */
    final List<Integer> keyValues = new ArrayList<>();
    private final boolean hasOutcome;
    final boolean hasException;
    final boolean hasSeverity;
    final boolean failuresOnly;
    final double threshold;
    private final int severities;
    final FamilySpec.Type type;
    private final boolean observesNumber;
    /** Whether a failed call lands in the family's second half of series (its failed outcome). */
    private final boolean failureSeries;
    /** Whether the exception label is the thrown class's full name rather than its simple name. */
    private final boolean exceptionClassName;

    /**
     * @param labels the source of each of the spec's labels, a value's index being the position
     *               of its key among the method's label keys
     */
    FamilySeries(Family family, FamilySpec spec, LabelSource[] labels, int maxLabelLength) {
        this.family = family;
        name = spec.name();
        this.labels = labels;
        constants = new String[labels.length];
        boolean outcome = false;
        boolean exception = false;
        boolean severity = false;
        boolean className = false;
        double above = 0;
        for (int i = 0; i < labels.length; i++) {
            switch (labels[i].kind()) {
                case CONSTANT:
                    constants[i] = MethodRecorder.truncate(labels[i].text(), maxLabelLength);
                    break;
                case VALUE:
                    if (!keyValues.contains(labels[i].value())) {
                        keyValues.add(labels[i].value());
                    }
                    break;
                case OUTCOME:
                    outcome = true;
                    break;
                case EXCEPTION:
                    exception = true;
                    className = labels[i].className();
                    break;
                case SEVERITY:
                    severity = true;
                    above = labels[i].threshold();
                    break;
                default:
                    throw new IllegalStateException(labels[i].kind().toString());
            }
        }
        hasOutcome = outcome;
        hasException = exception;
        exceptionClassName = className;
        hasSeverity = severity;
        threshold = above;
        severities = severity ? 2 : 1;
        failuresOnly = spec.failuresOnly();
        type = spec.type();
        observesNumber = spec.observed() == FamilySpec.Observed.NUMBER;
        failureSeries = hasOutcome && !hasException && !failuresOnly;
    }

    /** The label values of one series; {@code exception} is {@code null} when the call threw nothing. */
    private String[] labelValues(List<Integer> groupKeys, String[] valueTexts, boolean failed, String exception,
                                 boolean high) {
        String[] values = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            LabelSource label = labels[i];
            switch (label.kind()) {
                case CONSTANT:
                    values[i] = constants[i];
                    break;
                case VALUE:
                    values[i] = valueTexts[groupKeys.indexOf(label.value())];
                    break;
                case OUTCOME:
                    values[i] = failed ? label.otherText() : label.text();
                    break;
                case EXCEPTION:
                    values[i] = exception == null ? label.text() : exception;
                    break;
                default:
                    values[i] = high ? label.text() : label.otherText();
                    break;
            }
        }
        return values;
    }

    /**
     * The series a call without an exception label value can land in: both outcomes (or only
     * success, when failures carry the exception, or only failure for a failures-only family),
     * times both severities.
     */
    List<String[]> baseSeries(List<Integer> groupKeys, String[] valueTexts) {
        List<String[]> series = new ArrayList<>();
        if (hasException && failuresOnly) {
            return series;
        }
        for (int o = 0; o < (failureSeries ? 2 : 1); o++) {
            boolean failed = o == 1 || (failuresOnly && !hasException);
            for (int s = 0; s < severities; s++) {
                series.add(labelValues(groupKeys, valueTexts, failed, null, s == 1));
            }
        }
        return series;
    }

    /** The series a failed call with this exception label value can land in, one per severity. */
    List<String[]> exceptionSeries(List<Integer> groupKeys, String[] valueTexts, String exception) {
        List<String[]> series = new ArrayList<>();
        for (int s = 0; s < severities; s++) {
            series.add(labelValues(groupKeys, valueTexts, true, exception, s == 1));
        }
        return series;
    }

    /** The exception label's text for what a call threw, made once per class and leaf. */
    String exceptionName(Class<?> type) {
        if (exceptionClassName) {
            return type.getName();
        }
        String simpleName = type.getSimpleName();
        return simpleName.isEmpty() ? type.getName() : simpleName; // anonymous classes
    }

    /** Records a call into its series among {@code cells}, those {@link #baseSeries} or {@link #exceptionSeries} gave. */
    void record(CellWriter writer, Cell[] cells, boolean failed, long nanos, long endNanos, double n, int severity) {
        double value = type == FamilySpec.Type.COUNTER ? 1 : observesNumber ? n : nanos / 1e9;
        // NaN or an infinity would poison the histogram's sum for good; the call still counts.
        if (!observesNumber || Double.isFinite(value)) {
            // One call site, so that the JIT inlines each kind of cell once.
            cells[(failed && failureSeries ? severities : 0) + severity].record(writer, value, endNanos);
        }
    }
}
