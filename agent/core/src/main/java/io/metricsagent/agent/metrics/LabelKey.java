package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.DerivedLabel;

/**
 * What one label of a method keys its series by, per call: one of the call's values as it is, or
 * a label object's ({@link DerivedLabel}) text. A label object's text is always one of its own
 * constants (the {@code thrown}, {@code missing} or mapped texts), a text a {@code remember:}
 * rule's vocabulary gave ({@code recall}) or, unmapped, the value itself, so finding it allocates
 * nothing, and a mapped label has at most as many series as texts.
 */
final class LabelKey {

    private final int[] values;
    /** By value: the number of the name its text is recalled by ({@link RememberedTexts}), or -1 for a value as it is. */
    private final int[] recalls;
    /** The key of a call that threw, or {@code null}: its values are read all the same. */
    private final String thrown;
    /** The key of a missing value: {@code null}, which the series tree calls unknown, or the label's text. */
    private final String missing;
    /** {@code null} when the value keys the series itself. */
    private final Vocabulary vocabulary;

    private LabelKey(int[] values, int[] recalls, String thrown, String missing, Vocabulary vocabulary) {
        this.values = values;
        this.recalls = recalls;
        this.thrown = thrown;
        this.missing = missing;
        this.vocabulary = vocabulary;
    }

    /** One value, as it is. */
    static LabelKey value(int index) {
        return new LabelKey(new int[] {index}, new int[] {-1}, null, null, null);
    }

    static LabelKey of(DerivedLabel label) {
        String[] names = label.recalls();
        int[] recalls = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            recalls[i] = names[i] == null ? -1 : RememberedTexts.number(names[i]);
        }
        return new LabelKey(label.values(), recalls, label.thrown(), label.missing(),
                label.keys() == null ? null : new Vocabulary(label));
    }

    Object key(Throwable thrownBy, Object v0, Object v1, Object v2, Object v3, Object v4, Object v5) {
        if (thrownBy != null && thrown != null) {
            return thrown;
        }
        for (int i = 0; i < values.length; i++) {
            Object value = MethodRecorder.value(values[i], v0, v1, v2, v3, v4, v5);
            if (value != null && recalls[i] >= 0) {
                String recalled = RememberedTexts.recall(recalls[i], value);
                if (recalled != null) {
                    return recalled;
                }
            } else if (value != null) {
                return vocabulary == null ? value : vocabulary.text(value);
            }
        }
        return missing;
    }

    /**
     * A label object's {@code map}: the part of a value that {@code extract} takes, compared in
     * place, ignoring case, with each key; the key's text, or {@code other}.
     */
    static final class Vocabulary {
        private final DerivedLabel.Extract extract;
        private final String after;
        private final String until;
        private final String[] keys;
        private final String[] texts;
        /** Each key as a whole number, so that an {@code int} value is compared without its text; else {@code null}. */
        private final Long[] numbers;
        private final String other;

        Vocabulary(DerivedLabel label) {
            extract = label.extract() == null ? DerivedLabel.Extract.WHOLE : label.extract();
            after = label.after() == null ? "" : label.after();
            until = label.until() == null ? "" : label.until();
            keys = label.keys().toArray(new String[0]);
            texts = label.texts().toArray(new String[0]);
            other = label.other();
            numbers = new Long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                numbers[i] = isInteger(keys[i]) ? parsed(keys[i]) : null;
            }
        }

        /**
         * Whether the key reads as a whole number: tested first, because a method's vocabulary is
         * made on the application's thread as its class loads, where the exception of each
         * {@code SELECT} or {@code GET} failing to parse (a stack trace each, interpreted) cost a
         * Spring Boot start 15 ms.
         */
        private static boolean isInteger(String key) {
            int start = key.startsWith("-") || key.startsWith("+") ? 1 : 0;
            if (key.length() == start || key.length() - start > 19) {
                return false;
            }
            for (int i = start; i < key.length(); i++) {
                if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        private static Long parsed(String key) {
            try {
                return Long.parseLong(key);
            } catch (NumberFormatException outOfRange) {
                return null;
            }
        }

        String text(Object value) {
            if (extract == DerivedLabel.Extract.WHOLE) {
                if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                    return number(((Number) value).longValue());
                }
                String whole = value instanceof Enum ? ((Enum<?>) value).name() : value.toString();
                return match(whole, 0, whole.length());
            }
            String text = value.toString();
            return extract == DerivedLabel.Extract.SQL_KEYWORD ? sqlKeyword(text) : between(text);
        }

        private String number(long value) {
            for (int i = 0; i < keys.length; i++) {
                if (numbers[i] != null && numbers[i] == value) {
                    return texts[i];
                }
            }
            return other;
        }

        /** What follows the first {@code after} (the start when empty) up to the next {@code until} (or the end). */
        private String between(String text) {
            int start = 0;
            if (!after.isEmpty()) {
                start = text.indexOf(after);
                if (start < 0) {
                    return other;
                }
                start += after.length();
            }
            int end = until.isEmpty() ? -1 : text.indexOf(until, start);
            return match(text, start, end < 0 ? text.length() : end);
        }

        /**
         * The first run of ASCII letters, after blanks, {@code (} and <code>{</code> (a
         * parenthesized query, a JDBC escape) and {@code --} or {@code /* *}{@code /} comments.
         */
        private String sqlKeyword(String sql) {
            int i = 0;
            int length = sql.length();
            while (i < length) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c) || c == '(' || c == '{') {
                    i++;
                } else if (c == '-' && sql.startsWith("-", i + 1)) {
                    int newline = sql.indexOf('\n', i + 2);
                    if (newline < 0) {
                        return other;
                    }
                    i = newline + 1;
                } else if (c == '/' && sql.startsWith("*", i + 1)) {
                    int close = sql.indexOf("*/", i + 2);
                    if (close < 0) {
                        return other;
                    }
                    i = close + 2;
                } else {
                    break;
                }
            }
            int start = i;
            while (i < length && isAsciiLetter(sql.charAt(i))) {
                i++;
            }
            return i == start ? other : match(sql, start, i);
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private String match(String text, int start, int end) {
            int length = end - start;
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].length() == length && text.regionMatches(true, start, keys[i], 0, length)) {
                    return texts[i];
                }
            }
            return other;
        }
    }
}
