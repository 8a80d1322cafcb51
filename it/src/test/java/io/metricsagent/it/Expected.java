package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one table format of the behaviour cases: what a scrape must hold after the application did
 * something, written as tables of exact values, checked against an {@link Exposition} with every
 * mismatch of every table reported at once, under the case's name. The format, in it/README.md:
 *
 * <pre>
 * # a comment
 * jdbc_queries_total{statement, database, exception}
 * HikariProxyPreparedStatement  ORDERS   none  2
 * HikariProxyPreparedStatement  REPORTS  none  4
 *
 * errors_total{service=kt_member, error_type, severity} != 0
 * IllegalArgumentException  medium  2
 *
 * payment_duration_seconds_count{gateway=kt_member}
 * 10
 * </pre>
 *
 * A table's header names a family and, in braces, the labels that select its series
 * ({@code name=value}) and the labels that are its columns. Its rows are the selected series
 * summed by the columns' values, the value last, and they are all of them: a series the table does
 * not hold is a mismatch. With {@code != 0} the groups that sum to 0 are left out of the scrape and
 * may not be written, as for counters that count only some of their label values. A table without
 * columns has one row, the sum of the series selected (0 where none are). {@code x_count} and
 * {@code x_sum} read a histogram {@code x}'s count and sum. Tables are separated by a blank line.
 */
final class Expected {

    private static final Pattern HEADER = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})?(\\s*!=\\s*0)?");

    private final String name;
    private final Map<String, String> selectors = new LinkedHashMap<>();
    private final List<String> columns = new ArrayList<>();
    private final boolean nonZero;
    private final Map<List<String>, Double> rows = new LinkedHashMap<>();

    private Expected(String header) {
        Matcher matcher = HEADER.matcher(header);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a table header: " + header);
        }
        name = matcher.group(1);
        if (matcher.group(2) != null && !matcher.group(2).isBlank()) {
            for (String label : matcher.group(2).split(",")) {
                String[] selector = label.trim().split("=", 2);
                if (selector.length == 2) {
                    selectors.put(selector[0].trim(), unquoted(selector[1].trim()));
                } else {
                    columns.add(selector[0]);
                }
            }
        }
        nonZero = matcher.group(3) != null;
    }

    /** Asserts every table of {@code tables} against the scrape, failing once with all their mismatches. */
    static void assertSamples(Exposition m, String caseName, String tables) {
        List<String> mismatches = new ArrayList<>();
        for (Expected table : parse(tables)) {
            mismatches.addAll(table.mismatches(m));
        }
        if (!mismatches.isEmpty()) {
            fail(caseName + ": " + mismatches.size() + " sample(s) not as expected\n  " + String.join("\n  ", mismatches));
        }
    }

    private static List<Expected> parse(String tables) {
        List<Expected> parsed = new ArrayList<>();
        Expected table = null;
        for (String line : tables.strip().split("\n")) {
            line = line.strip();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                table = null;
            } else if (table == null) {
                table = new Expected(line);
                parsed.add(table);
            } else {
                table.add(line);
            }
        }
        return parsed;
    }

    private void add(String line) {
        String[] cells = line.split("\\s+");
        if (cells.length != columns.size() + 1) {
            throw new IllegalArgumentException(header() + ": the row '" + line + "' has not one value for each of "
                    + columns + " and the value");
        }
        List<String> key = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            key.add(unquoted(cells[i]));
        }
        double value = Double.parseDouble(cells[columns.size()]);
        if (nonZero && value == 0) {
            throw new IllegalArgumentException(header() + ": the row '" + line + "' is 0, which a != 0 table leaves out");
        }
        if (rows.put(key, value) != null) {
            throw new IllegalArgumentException(header() + ": the row '" + line + "' is there twice");
        }
    }

    private List<String> mismatches(Exposition m) {
        Map<List<String>, Double> scraped = new LinkedHashMap<>();
        if (columns.isEmpty()) {
            scraped.put(List.of(), 0.0);
        }
        String family = m.has(name) ? name : histogramOf(name);
        if (family == null || !m.has(family)) {
            return List.of(header() + ": not exposed; exposed are " + m.names());
        }
        for (Metric series : m.family(family).getMetricList()) {
            Map<String, String> labels = Exposition.labels(series);
            if (selectors.entrySet().stream().allMatch(s -> s.getValue().equals(labels.getOrDefault(s.getKey(), "")))) {
                List<String> key = columns.stream().map(c -> labels.getOrDefault(c, "")).collect(Collectors.toList());
                scraped.merge(key, value(series), Double::sum);
            }
        }
        if (nonZero) {
            scraped.values().removeIf(value -> value == 0);
        }
        List<String> mismatches = new ArrayList<>();
        rows.forEach((key, value) -> {
            Double actual = scraped.get(key);
            if (actual == null) {
                mismatches.add(sample(key) + " expected " + number(value) + ", not scraped");
            } else if (Double.compare(actual, value) != 0) {
                mismatches.add(sample(key) + " expected " + number(value) + ", scraped " + number(actual));
            }
        });
        scraped.forEach((key, actual) -> {
            if (!rows.containsKey(key)) {
                mismatches.add(sample(key) + " scraped " + number(actual) + ", not in the table");
            }
        });
        return mismatches;
    }

    /** The histogram family whose count or sum {@code name} reads, or null. */
    private static String histogramOf(String name) {
        for (String suffix : List.of("_count", "_sum")) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private double value(Metric series) {
        if (series.hasHistogram()) {
            if (name.endsWith("_count")) {
                return series.getHistogram().getSampleCount();
            }
            if (name.endsWith("_sum")) {
                return series.getHistogram().getSampleSum();
            }
            throw new IllegalArgumentException(header() + ": a histogram; name its _count or _sum");
        }
        return series.hasCounter() ? series.getCounter().getValue()
                : series.hasGauge() ? series.getGauge().getValue() : series.getUntyped().getValue();
    }

    private String header() {
        List<String> labels = new ArrayList<>();
        selectors.forEach((label, value) -> labels.add(label + "=" + value));
        labels.addAll(columns);
        return name + (labels.isEmpty() ? "" : "{" + String.join(", ", labels) + "}") + (nonZero ? " != 0" : "");
    }

    private String sample(List<String> key) {
        List<String> labels = new ArrayList<>();
        selectors.forEach((label, value) -> labels.add(label + "=\"" + value + "\""));
        for (int i = 0; i < columns.size(); i++) {
            labels.add(columns.get(i) + "=\"" + key.get(i) + "\"");
        }
        return name + (labels.isEmpty() ? "" : "{" + String.join(", ", labels) + "}");
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** Text of one table whose rows are computed, for {@link #assertSamples}. */
    static final class Table {
        private final StringBuilder text;

        Table(String header) {
            text = new StringBuilder(header).append('\n');
        }

        /** One row: the columns' values, then the value. */
        Table row(Object... cells) {
            text.append(List.of(cells).stream().map(String::valueOf).collect(Collectors.joining(" "))).append('\n');
            return this;
        }

        @Override
        public String toString() {
            return text + "\n";
        }
    }
}
