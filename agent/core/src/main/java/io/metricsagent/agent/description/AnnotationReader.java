package io.metricsagent.agent.description;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code @MeteredPayment} and {@code @Metered} into {@link MethodMeter}s. Annotations are
 * matched by name, so the agent never loads the application's annotation classes; attributes the
 * class file leaves out take the documented defaults, restated here because the annotation's own
 * class may not be on the application's class path.
 */
public final class AnnotationReader {

    public static final String METERED_PAYMENT = "io.metricsagent.api.MeteredPayment";
    public static final String METERED = "io.metricsagent.api.Metered";
    public static final String METERED_GAUGE = "io.metricsagent.api.MeteredGauge";
    private static final String AMOUNT = METERED_PAYMENT + "$Amount";
    private static final String USER_TIER = METERED_PAYMENT + "$UserTier";
    private static final String PAYMENT_METHOD = METERED_PAYMENT + "$Method";
    private static final String LABEL = METERED + "$Label";
    private static final String OBSERVE = METERED + "$Observe";

    /** Starts a nesting group named by {@code nestingGroup} or {@code nesting_group}: shared by annotations and rules. */
    static final String GROUP = "group ";
    /** Starts the nesting group of {@code @Metered} methods of one name. */
    private static final String METERED_GROUP = "@Metered ";

    static final double[] DEFAULT_DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] DEFAULT_OBSERVE_BUCKETS = {1, 10, 100, 1000, 10000};
    private static final Set<String> PRIMITIVES = Set.of("byte", "short", "char", "int", "long", "float", "double", "boolean");

    private AnnotationReader() {}

    /** Whether the method carries an annotation that meters it. */
    public static boolean isMetered(AnnotatedMethod method) {
        return method.annotation(METERED_PAYMENT) != null || method.annotation(METERED) != null;
    }

    /** The simple names of the metering annotations the method carries, for messages. */
    public static String annotationNames(AnnotatedMethod method) {
        List<String> names = new ArrayList<>();
        if (method.annotation(METERED_PAYMENT) != null) {
            names.add("@MeteredPayment");
        }
        if (method.annotation(METERED) != null) {
            names.add("@Metered");
        }
        return String.join(" and ", names);
    }

    /**
     * What each metering annotation of the method records.
     *
     * @throws IllegalArgumentException saying what is wrong with an annotation
     */
    public static List<MethodMeter> read(AnnotatedMethod method) {
        List<MethodMeter> meters = new ArrayList<>();
        Map<String, Object> payment = method.annotation(METERED_PAYMENT);
        if (payment != null) {
            meters.add(payment(method, payment));
        }
        Map<String, Object> metered = method.annotation(METERED);
        if (metered != null) {
            meters.add(metered(method, metered));
        }
        return meters;
    }

    private static MethodMeter payment(AnnotatedMethod method, Map<String, Object> annotation) {
        int amount = parameterWith(method, AMOUNT);
        if (amount >= 0 && method.parameterTypes().get(amount).equals("boolean")) {
            throw new IllegalArgumentException("@MeteredPayment.Amount is on a boolean parameter, not a number");
        }
        int tier = parameterWith(method, USER_TIER);
        int paymentMethod = parameterWith(method, PAYMENT_METHOD);
        return PaymentPreset.describe(method.describe(),
                string(annotation, "gateway", PaymentPreset.UNKNOWN),
                string(annotation, "currency", PaymentPreset.CURRENCY),
                string(annotation, "service", PaymentPreset.SERVICE),
                amount < 0 ? null : ValueSource.argument(amount, List.of()),
                tier < 0 ? null : ValueSource.argument(tier, List.of()),
                paymentMethod < 0 ? null : ValueSource.argument(paymentMethod, List.of()));
    }

    private static MethodMeter metered(AnnotatedMethod method, Map<String, Object> annotation) {
        String name = string(annotation, "name", "");
        GeneralMeter.checkBaseName(name, "@Metered(name=\"" + name + "\")");
        String help = string(annotation, "help", "");
        if (help.isEmpty()) {
            help = "Calls of " + method.describe();
        }
        boolean outcome = bool(annotation, "outcome", true);
        boolean exception = bool(annotation, "exception", true);

        List<ValueSource> values = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        List<LabelSource> labels = new ArrayList<>();
        for (String pair : strings(annotation, "labels")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@Metered(name=\"" + name + "\") label '" + pair
                        + "' is not of the form key=value");
            }
            labelNames.add(pair.substring(0, eq).trim());
            labels.add(LabelSource.constant(pair.substring(eq + 1).trim()));
        }
        ValueSource number = null;
        FamilySpec.Builder observed = null;
        for (int i = 0; i < method.parameterTypes().size(); i++) {
            Map<String, Object> label = method.parameterAnnotation(i, LABEL);
            if (label != null) {
                labelNames.add(string(label, "value", ""));
                labels.add(LabelSource.value(add(values, ValueSource.argument(i, ValueSource.path(string(label, "path", ""))))));
            }
            Map<String, Object> observe = method.parameterAnnotation(i, OBSERVE);
            if (observe != null) {
                if (number != null) {
                    throw new IllegalArgumentException("@Metered.Observe is on more than one parameter");
                }
                List<String> path = ValueSource.path(string(observe, "path", ""));
                String type = method.parameterTypes().get(i);
                if (path.isEmpty() && (type.equals("boolean") || type.equals("java.lang.String"))) {
                    throw new IllegalArgumentException("@Metered.Observe is on a parameter of type " + type + ", not a number");
                }
                number = ValueSource.argument(i, path);
                String observeName = string(observe, "name", "");
                String observeHelp = string(observe, "help", "");
                observed = FamilySpec.histogram(observeName,
                        observeHelp.isEmpty() ? "Values of parameter " + i + " of " + method.describe() : observeHelp,
                        doubles(observe, "buckets", DEFAULT_OBSERVE_BUCKETS), FamilySpec.Observed.NUMBER);
            }
        }
        String returnLabel = string(annotation, "returnLabel", "");
        if (!returnLabel.isEmpty()) {
            if (method.returnType().equals("void")) {
                throw new IllegalArgumentException("@Metered(returnLabel=\"" + returnLabel + "\") on a method returning void");
            }
            int eq = returnLabel.indexOf('=');
            String labelName = eq < 0 ? returnLabel : returnLabel.substring(0, eq).trim();
            List<String> path = ValueSource.path(eq < 0 ? "" : returnLabel.substring(eq + 1).trim());
            if (!path.isEmpty() && PRIMITIVES.contains(method.returnType())) {
                throw new IllegalArgumentException("@Metered(returnLabel=\"" + returnLabel + "\"): a path into a "
                        + method.returnType());
            }
            labelNames.add(labelName);
            labels.add(LabelSource.value(add(values, ValueSource.returnValue(path))));
        }

        MethodMeter meter = GeneralMeter.describe(method.describe(), name, help,
                doubles(annotation, "buckets", DEFAULT_DURATION_BUCKETS), outcome, exception, labelNames, labels, values,
                number, observed, null, bool(annotation, "inFlight", false));
        String group = string(annotation, "nestingGroup", "");
        if (!group.isEmpty()) {
            return meter.nested(GROUP + group);
        }
        return "OUTERMOST".equals(annotation.get("nesting")) ? meter.nested(METERED_GROUP + name) : meter;
    }

    static int add(List<ValueSource> values, ValueSource value) {
        int index = values.indexOf(value);
        if (index >= 0) {
            return index;
        }
        values.add(value);
        return values.size() - 1;
    }

    private static int parameterWith(AnnotatedMethod method, String annotation) {
        for (int i = 0; i < method.parameterTypes().size(); i++) {
            if (method.parameterAnnotation(i, annotation) != null) {
                return i;
            }
        }
        return -1;
    }

    private static String string(Map<String, Object> annotation, String attribute, String fallback) {
        Object value = annotation.get(attribute);
        return value instanceof String ? (String) value : fallback;
    }

    private static boolean bool(Map<String, Object> annotation, String attribute, boolean fallback) {
        Object value = annotation.get(attribute);
        return value instanceof Boolean ? (Boolean) value : fallback;
    }

    /** A {@code String[]} attribute, or the {@code key=value} pairs of {@code @MeteredGauge(labels)}. */
    public static List<String> strings(Map<String, Object> annotation, String attribute) {
        Object value = annotation.get(attribute);
        List<String> strings = new ArrayList<>();
        if (value instanceof List) {
            for (Object element : (List<?>) value) {
                strings.add(String.valueOf(element));
            }
        } else if (value instanceof String) {
            strings.add((String) value);
        }
        return strings;
    }

    private static double[] doubles(Map<String, Object> annotation, String attribute, double[] fallback) {
        Object value = annotation.get(attribute);
        double[] result;
        if (value instanceof double[]) {
            result = (double[]) value;
        } else if (value instanceof Double) {
            result = new double[] {(Double) value};
        } else {
            return fallback;
        }
        return increasing(attribute, result, fallback);
    }

    /**
     * Buckets as given, or {@code fallback} when {@code null}.
     *
     * @throws IllegalArgumentException when they are empty or not increasing
     */
    static double[] increasing(String attribute, double[] given, double[] fallback) {
        if (given == null) {
            return fallback;
        }
        double[] result = given;
        if (result.length == 0) {
            throw new IllegalArgumentException("'" + attribute + "' is empty");
        }
        for (int i = 0; i < result.length; i++) {
            if (Double.isNaN(result[i]) || (i > 0 && !(result[i] > result[i - 1]))) {
                throw new IllegalArgumentException("'" + attribute + "' must be increasing numbers");
            }
        }
        return result;
    }
}
