package io.metricsagent.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's options, parsed from the text after {@code -javaagent:metrics-agent.jar=}: a
 * comma-separated list of {@code key=value} pairs, e.g. {@code port=9100,host=127.0.0.1,interval=10}.
 * Immutable; {@link #parse} rejects unknown keys and malformed values with a message that quotes
 * the offending input and lists what is accepted.
 *
 * <table>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code port}</td><td>TCP port of {@code /metrics}, 0 = any free port</td><td>8000</td></tr>
 *   <tr><td>{@code host}</td><td>address to bind; empty = all interfaces</td><td>all interfaces</td></tr>
 *   <tr><td>{@code interval}</td><td>host sampling period in seconds, 1..3600</td><td>5</td></tr>
 *   <tr><td>{@code native_histograms}</td><td>also keep native histograms (protobuf scrapes)</td><td>false</td></tr>
 * </table>
 */
public final class AgentOptions {

    public static final int DEFAULT_PORT = 8000;
    public static final int DEFAULT_INTERVAL_SECONDS = 5;

    private static final String KEYS = "port, host, interval, native_histograms";

    private final int port;
    private final String host;
    private final int intervalSeconds;
    private final boolean nativeHistograms;

    private AgentOptions(int port, String host, int intervalSeconds, boolean nativeHistograms) {
        this.port = port;
        this.host = host;
        this.intervalSeconds = intervalSeconds;
        this.nativeHistograms = nativeHistograms;
    }

    /** The options when none are given. */
    public static AgentOptions defaults() {
        return new AgentOptions(DEFAULT_PORT, "", DEFAULT_INTERVAL_SECONDS, false);
    }

    /**
     * Parses the agent argument; {@code null} or blank gives the defaults.
     *
     * @throws IllegalArgumentException naming the bad key or value and what is accepted
     */
    public static AgentOptions parse(String args) {
        Map<String, String> values = split(args);
        AgentOptions defaults = defaults();
        int port = defaults.port;
        String host = defaults.host;
        int interval = defaults.intervalSeconds;
        boolean nativeHistograms = defaults.nativeHistograms;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String value = e.getValue();
            switch (e.getKey()) {
                case "port":
                    port = parseInt("port", value, 0, 65535);
                    break;
                case "host":
                    host = value;
                    break;
                case "interval":
                    interval = parseInt("interval", value, 1, 3600);
                    break;
                case "native_histograms":
                    nativeHistograms = parseBoolean("native_histograms", value);
                    break;
                default:
                    throw new IllegalArgumentException(
                            "unknown option '" + e.getKey() + "'; valid options are: " + KEYS);
            }
        }
        return new AgentOptions(port, host, interval, nativeHistograms);
    }

    private static Map<String, String> split(String args) {
        Map<String, String> values = new LinkedHashMap<>();
        if (args == null || args.trim().isEmpty()) {
            return values;
        }
        for (String pair : args.split(",", -1)) {
            String trimmed = pair.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "option '" + trimmed + "' is not of the form key=value; valid options are: " + KEYS);
            }
            String key = trimmed.substring(0, eq).trim();
            if (values.put(key, trimmed.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("option '" + key + "' is given twice");
            }
        }
        return values;
    }

    private static int parseInt(String key, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(key + "=" + value + " is out of range " + min + ".." + max);
        }
        return parsed;
    }

    private static boolean parseBoolean(String key, String value) {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw new IllegalArgumentException(key + "=" + value + " is neither true nor false");
    }

    /** TCP port of the {@code /metrics} endpoint; 0 lets the system choose a free one. */
    public int port() {
        return port;
    }

    /** Address to bind; empty means all interfaces. */
    public String host() {
        return host;
    }

    /** Seconds between two host samples. */
    public int intervalSeconds() {
        return intervalSeconds;
    }

    /** Whether histograms keep native buckets beside the classic ones. */
    public boolean nativeHistograms() {
        return nativeHistograms;
    }
}
