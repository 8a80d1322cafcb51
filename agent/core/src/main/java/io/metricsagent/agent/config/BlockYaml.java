package io.metricsagent.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The block YAML that configuration files are written in, read into the tree that
 * {@link YamlNode#read} builds, without SnakeYAML: its first run in a JVM (some 70 classes loaded
 * one by one, its scanner's patterns compiled, all of it interpreted) took 50 ms of premain for a
 * 40-line file, before the application's first class.
 *
 * <p>What it reads: block mappings and sequences ({@code - key: value} items too), one-line plain
 * and quoted scalars (a double-quoted one without escapes), flow sequences and mappings of those
 * as values, nested, each on one row ({@code [a, b]}, {@code {pool: this.config.poolName}},
 * {@code {outcome: [SUCCESS, ERROR]}}), comments, empty values. Anything else, or anything it is
 * not sure SnakeYAML reads the same way (tabs, anchors, tags, {@code |} and {@code >}, a flow
 * collection over lines or as a key, a flow key without {@code ": "}, {@code ---}, a scalar
 * folded over lines, an error of any kind), it declines with {@code null}: SnakeYAML then
 * reads the file, so that an error is always named as SnakeYAML names it. BlockYamlTest holds the
 * two readers to the same trees.
 */
final class BlockYaml {

    /**
     * Past these the limits SnakeYAML's reading applies may apply (a nesting depth of 50, a simple
     * key's 1024 characters, a document's 3 M code points): SnakeYAML's to apply.
     */
    private static final int MAX_DEPTH = 30;
    private static final int MAX_ROW = 1000;
    private static final int MAX_TEXT = 1_000_000;
    /** Characters that cannot start a plain scalar (or start it only in cases left to SnakeYAML). */
    private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

    /** The lines that hold something, without their line break; comments and blank lines left out. */
    private final List<String> rows = new ArrayList<>();
    private final List<Integer> indents = new ArrayList<>();
    /** Each row's line, from 1. */
    private final List<Integer> lines = new ArrayList<>();
    /** The next row to read. */
    private int at;
    private int depth;
    /** The text of the scalar that {@link #scalar} scanned last. */
    private String scanned;
    /** Where the scalar or flow collection that {@link #node} read last ends in its row. */
    private int nodeEnd;

    private BlockYaml() {}

    /** The document's tree, or {@code null} when SnakeYAML is to read it. Never throws. */
    static YamlNode read(String text) {
        try {
            BlockYaml yaml = new BlockYaml();
            if (!yaml.split(text) || yaml.rows.isEmpty()) {
                return null;
            }
            YamlNode root = yaml.block();
            return yaml.at == yaml.rows.size() ? root : null;
        } catch (RuntimeException slip) {
            // A mistake of this reader costs only the time SnakeYAML takes to read the file instead.
            return null;
        }
    }

    private boolean split(String text) {
        if (text.length() > MAX_TEXT) {
            return false;
        }
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i == text.length() ? '\n' : text.charAt(i);
            if (c == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                if (!row(text.substring(start, end), line)) {
                    return false;
                }
                line++;
                start = i + 1;
            } else if (!printable(c) && !(c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')) {
                return false;
            }
        }
        return true;
    }

    /**
     * SnakeYAML's printable characters, less tabs, line breaks other than \n, a byte order mark and
     * U+FFFD (what a malformed byte decodes to, which SnakeYAML's strict decoder refuses).
     */
    private static boolean printable(char c) {
        return c >= 0x20 && c < 0x7f
                || c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029
                || c >= 0xe000 && c < 0xfffd && c != 0xfeff;
    }

    private boolean row(String line, int number) {
        int indent = skipSpaces(line, 0);
        if (indent == line.length() || line.charAt(indent) == '#') {
            return true;
        }
        if (line.length() > MAX_ROW || line.startsWith("---", indent) || line.startsWith("...", indent)) {
            return false;
        }
        rows.add(line);
        indents.add(indent);
        lines.add(number);
        return true;
    }

    /** The block collection whose first row is the next row. */
    private YamlNode block() {
        if (++depth > MAX_DEPTH) {
            return null;
        }
        int indent = indents.get(at);
        YamlNode node = dash(rows.get(at), indent) ? sequence(indent) : mapping(indent);
        depth--;
        return node;
    }

    private YamlNode sequence(int indent) {
        int line = lines.get(at);
        List<YamlNode> items = new ArrayList<>();
        while (at < rows.size() && indents.get(at) == indent && dash(rows.get(at), indent)) {
            String row = rows.get(at);
            int itemLine = lines.get(at);
            int p = skipSpaces(row, indent + 1);
            YamlNode item;
            if (ends(row, indent + 1)) {
                at++;
                item = at < rows.size() && indents.get(at) > indent ? block() : empty(itemLine);
            } else if (dash(row, p)) {
                return null;
            } else if (keyValue(row, p) >= 0) {
                // - key: value: a mapping whose keys are in the column of its first.
                item = mapping(p);
            } else {
                item = value(row, p, itemLine);
                at++;
            }
            if (item == null) {
                return null;
            }
            items.add(item);
        }
        return new YamlNode(YamlNode.Kind.SEQUENCE, line, null, items);
    }

    /** A mapping whose first key is at {@code column} of the next row, and its other keys in that column. */
    private YamlNode mapping(int column) {
        int line = lines.get(at);
        List<YamlNode> items = new ArrayList<>();
        do {
            String row = rows.get(at);
            int keyLine = lines.get(at);
            int valueAt = keyValue(row, column);
            if (valueAt < 0) {
                return null;
            }
            items.add(new YamlNode(YamlNode.Kind.SCALAR, keyLine, scanned, List.of()));
            YamlNode value;
            if (ends(row, valueAt)) {
                at++;
                // Below the key, deeper; or a list in the key's own column.
                boolean below = at < rows.size() && (indents.get(at) > column
                        || indents.get(at) == column && dash(rows.get(at), column));
                value = below ? block() : empty(keyLine);
            } else {
                value = value(row, skipSpaces(row, valueAt), keyLine);
                at++;
            }
            if (value == null) {
                return null;
            }
            items.add(value);
        } while (at < rows.size() && indents.get(at) == column);
        return new YamlNode(YamlNode.Kind.MAPPING, line, null, items);
    }

    /**
     * Where the value starts when {@code row} holds a key at {@code p} (the key then in
     * {@link #scanned}); -1 when it does not.
     */
    private int keyValue(String row, int p) {
        int end = scalar(row, p, false);
        if (end < 0) {
            return -1;
        }
        int colon = skipSpaces(row, end);
        boolean key = colon < row.length() && row.charAt(colon) == ':'
                && (colon + 1 == row.length() || row.charAt(colon + 1) == ' ');
        return key ? colon + 1 : -1;
    }

    /** A scalar or a flow collection at {@code p}, the rest of the row blank or a comment. */
    private YamlNode value(String row, int p, int line) {
        YamlNode node = node(row, p, line, false);
        return node != null && ends(row, nodeEnd) ? node : null;
    }

    /** A scalar or a flow collection at {@code p}, where it ends then in {@link #nodeEnd}. */
    private YamlNode node(String row, int p, int line, boolean flow) {
        if (p < row.length() && (row.charAt(p) == '[' || row.charAt(p) == '{')) {
            return collection(row, p, line);
        }
        nodeEnd = scalar(row, p, flow);
        return nodeEnd < 0 ? null : new YamlNode(YamlNode.Kind.SCALAR, line, scanned, List.of());
    }

    /**
     * A flow sequence or mapping that closes on its own row: of scalars and flow collections, a
     * mapping's keys scalars each followed by {@code ": "} and a value (a key without one, an empty
     * entry, are left to SnakeYAML).
     */
    private YamlNode collection(String row, int p, int line) {
        if (++depth > MAX_DEPTH) {
            return null;
        }
        boolean mapping = row.charAt(p) == '{';
        char close = mapping ? '}' : ']';
        List<YamlNode> items = new ArrayList<>();
        int q = skipSpaces(row, p + 1);
        while (q < row.length() && row.charAt(q) != close) {
            YamlNode item = node(row, q, line, true);
            if (item == null || mapping && (item.kind != YamlNode.Kind.SCALAR || !row.startsWith(": ", nodeEnd))) {
                return null;
            }
            items.add(item);
            if (mapping) {
                YamlNode value = node(row, skipSpaces(row, nodeEnd + 2), line, true);
                if (value == null) {
                    return null;
                }
                items.add(value);
            }
            q = skipSpaces(row, nodeEnd);
            if (q == row.length() || row.charAt(q) != ',') {
                break;
            }
            q = skipSpaces(row, q + 1);
        }
        if (q == row.length() || row.charAt(q) != close) {
            return null;
        }
        nodeEnd = q + 1;
        depth--;
        return new YamlNode(mapping ? YamlNode.Kind.MAPPING : YamlNode.Kind.SEQUENCE, line, null, items);
    }

    /**
     * Scans a scalar of one row at {@code p} into {@link #scanned}: where it ends, or -1 when it
     * is not one this reader reads. A plain scalar ends before a comment, before a colon that a
     * space or the row's end follows, and in a flow collection before any indicator.
     */
    private int scalar(String row, int p, boolean flow) {
        if (p >= row.length()) {
            return -1;
        }
        char first = row.charAt(p);
        if (first == '\'') {
            StringBuilder text = new StringBuilder();
            int from = p + 1;
            while (true) {
                int quote = row.indexOf('\'', from);
                if (quote < 0) {
                    return -1;
                }
                text.append(row, from, quote);
                if (quote + 1 < row.length() && row.charAt(quote + 1) == '\'') {
                    text.append('\'');
                    from = quote + 2;
                } else {
                    scanned = text.toString();
                    return quote + 1;
                }
            }
        }
        if (first == '"') {
            int quote = row.indexOf('"', p + 1);
            if (quote < 0 || row.indexOf('\\', p + 1) >= 0 && row.indexOf('\\', p + 1) < quote) {
                return -1;
            }
            scanned = row.substring(p + 1, quote);
            return quote + 1;
        }
        if (INDICATORS.indexOf(first) >= 0
                && !(first == '-' && p + 1 < row.length() && Character.isLetterOrDigit(row.charAt(p + 1)))) {
            return -1;
        }
        int end = p;
        while (end < row.length()) {
            char c = row.charAt(end);
            boolean next = end + 1 < row.length();
            if (c == ' ' && next && row.charAt(end + 1) == '#'
                    || c == ':' && (!next || row.charAt(end + 1) == ' ')
                    || flow && ",[]{}#:?".indexOf(c) >= 0) {
                break;
            }
            end++;
        }
        int last = end;
        while (row.charAt(last - 1) == ' ') {
            last--;
        }
        scanned = row.substring(p, last);
        return end;
    }

    private static YamlNode empty(int line) {
        return new YamlNode(YamlNode.Kind.SCALAR, line, "", List.of());
    }

    /** A sequence's entry indicator at {@code p}: a dash that a space or the row's end follows. */
    private static boolean dash(String row, int p) {
        return p < row.length() && row.charAt(p) == '-' && (p + 1 == row.length() || row.charAt(p + 1) == ' ');
    }

    /** Whether the row holds nothing but spaces and perhaps a comment from {@code p} on. */
    private static boolean ends(String row, int p) {
        int q = skipSpaces(row, p);
        return q == row.length() || q > p && row.charAt(q) == '#';
    }

    private static int skipSpaces(String row, int p) {
        while (p < row.length() && row.charAt(p) == ' ') {
            p++;
        }
        return p;
    }
}
