package io.metricsagent.agent.description;

/**
 * A label's value written {@code recall(OBJECT, NAME)}: the text a {@code remember:} rule named
 * NAME kept for the object OBJECT reads ({@code this}, {@code args[0]}, or a path into them), on
 * this thread, among its latest ({@link Remember}); {@code null}, as a value that is not there,
 * when none is kept. Alone, or as an entry of {@code first_of}.
 */
public final class Recall {

    private static final String START = "recall(";

    private Recall() {}

    /** Whether the value is written as a recall, right or wrong. */
    public static boolean is(String spec) {
        return spec.startsWith(START);
    }

    /**
     * @throws IllegalArgumentException when it is not {@code recall(OBJECT, NAME)}
     */
    public static String object(String spec) {
        return part(spec, true);
    }

    /**
     * @throws IllegalArgumentException when it is not {@code recall(OBJECT, NAME)}
     */
    public static String name(String spec) {
        return part(spec, false);
    }

    private static String part(String spec, boolean object) {
        int comma = spec.lastIndexOf(',');
        if (!is(spec) || !spec.endsWith(")") || comma < 0) {
            throw new IllegalArgumentException("'" + spec + "' is not recall(OBJECT, NAME)");
        }
        String path = spec.substring(START.length(), comma).trim();
        String name = spec.substring(comma + 1, spec.length() - 1).trim();
        if (path.isEmpty() || !FamilySpec.isName(name)) {
            throw new IllegalArgumentException("'" + spec + "' is not recall(OBJECT, NAME): OBJECT is this, args[N] or"
                    + " a path into them, NAME the name a remember: rule gives");
        }
        return object ? path : name;
    }
}
