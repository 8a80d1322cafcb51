package io.metricsagent.agent.description;

/**
 * One step of a path, as written: a name ({@code tier}: a getter {@code getTier()},
 * {@code isTier()} or {@code tier()}, or a field), a method given one literal
 * ({@code getAttribute("a.b")}, {@code get(0)}), or {@code as(com.shop.Type)}, which reads the
 * value as that type (another type reads {@code null}) so that later steps resolve on it.
 */
public final class PathStep {

    /** What a step reads. */
    public enum Kind {
        /** A no-argument getter or a field. */
        MEMBER,
        /** A method of exactly this name, given {@link #literal()}. */
        CALL,
        /** The value as {@link #name()}, a class's Java name. */
        CAST
    }

    private final Kind kind;
    private final String name;
    private final Object literal;

    private PathStep(Kind kind, String name, Object literal) {
        this.kind = kind;
        this.name = name;
        this.literal = literal;
    }

    public Kind kind() {
        return kind;
    }

    /** The member's or method's name, or the type's Java name for {@link Kind#CAST}. */
    public String name() {
        return name;
    }

    /** A {@link String} or an {@link Integer} for {@link Kind#CALL}; else {@code null}. */
    public Object literal() {
        return literal;
    }

    /**
     * @throws IllegalArgumentException when {@code step} is none of the forms
     */
    public static PathStep parse(String step) {
        if (isIdentifier(step)) {
            return new PathStep(Kind.MEMBER, step, null);
        }
        int open = step.indexOf('(');
        if (open < 0 || !step.endsWith(")") || !isIdentifier(step.substring(0, open))) {
            throw notAStep(step);
        }
        String name = step.substring(0, open);
        String inside = step.substring(open + 1, step.length() - 1);
        if (name.equals("as")) {
            for (String part : inside.split("\\.", -1)) {
                if (!isIdentifier(part)) {
                    throw new IllegalArgumentException("'" + step + "' does not name a class (as(com.shop.Type))");
                }
            }
            return new PathStep(Kind.CAST, inside, null);
        }
        if (inside.length() >= 2 && inside.startsWith("\"") && inside.endsWith("\"")) {
            return new PathStep(Kind.CALL, name, unquoted(step, inside));
        }
        try {
            return new PathStep(Kind.CALL, name, Integer.valueOf(inside));
        } catch (NumberFormatException e) {
            throw notAStep(step);
        }
    }

    /**
     * Where the step that starts at {@code start} of {@code path} ends: at the first dot outside
     * parentheses and quotes, or the path's end.
     */
    static int end(String path, int start) {
        boolean quoted = false;
        int depth = 0;
        for (int i = start; i < path.length(); i++) {
            char c = path.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '.' && depth == 0) {
                return i;
            }
        }
        return path.length();
    }

    // "a\"b" reads a"b and "a\\b" a\b; nothing else is escaped.
    private static String unquoted(String step, String quoted) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '"') {
                throw notAStep(step);
            }
            if (c == '\\') {
                char next = i + 1 < quoted.length() - 1 ? quoted.charAt(++i) : ' ';
                if (next != '"' && next != '\\') {
                    throw notAStep(step);
                }
                c = next;
            }
            text.append(c);
        }
        return text.toString();
    }

    private static IllegalArgumentException notAStep(String step) {
        return new IllegalArgumentException("'" + step + "' is not a name, name(\"text\"), name(123) or as(com.shop.Type)");
    }

    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
