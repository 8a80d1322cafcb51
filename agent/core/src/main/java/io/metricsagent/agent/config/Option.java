package io.metricsagent.agent.config;

import io.metricsagent.agent.description.FamilySpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every option of the agent, declared once, in the order of README.md's options table (a test
 * holds the two equal): its key, how its value reads, its default, and a line of documentation.
 * Each may be given in the agent argument ({@code key=value}), as the system property
 * {@code -Dmetricsagent.<key>}, in the environment as {@code METRICS_AGENT_<KEY>}, and, but for
 * {@code config}, in the config file; {@link AgentOptions} reads them in that order of precedence.
 *
 * <p>A secret is never an option: {@code <secret>_file} and {@code <secret>_env} name where it is
 * read from, and {@code <secret>} itself is refused, since the command line is visible to every
 * user of the host.
 */
enum Option {

    // Endpoint
    /** TCP port of /metrics; 0 lets the system pick a free one. */
    PORT("port", Type.INT, 0, 65535, "8000", null),
    /** Address to bind. */
    HOST("host", Type.TEXT, "", "all interfaces"),

    // Host and JVM metrics
    /** Seconds between host samples. */
    INTERVAL("interval", Type.INT, 1, 3600, "5", null),
    /** Whether the host sampler runs. */
    HOST_METRICS("host_metrics", Type.BOOLEAN, "true", null),
    /** Whether the JVM's own metrics (jvm_*, process_*) are served. */
    JVM_METRICS("jvm_metrics", Type.BOOLEAN, "true", null),

    // Recording limits
    /** Whether histograms keep native buckets beside the classic ones. */
    NATIVE_HISTOGRAMS("native_histograms", Type.BOOLEAN, "false", null),
    /** Whether histogram buckets carry the trace of a sampled call when the OpenTelemetry agent runs. */
    EXEMPLARS("exemplars", Type.BOOLEAN, "true", null),
    /** Most series one metric may have; more label combinations go to one overflow series. */
    MAX_SERIES("max_series", Type.INT, 1, 1_000_000, "1000", null),
    /** Label values taken from arguments are cut to this many characters. */
    MAX_LABEL_LENGTH("max_label_length", Type.INT, 8, 65536, "128", null),

    // Configuration
    /** Whether a bad configuration or an endpoint that cannot be served stops the JVM. */
    STRICT("strict", Type.BOOLEAN, "false", null),
    /** A YAML file (options and metering rules) or a properties file (options). */
    CONFIG("config", Type.FILE, null, "none"),
    /** Whether the YAML config file's rules, gauges and errors are reloaded when it changes. */
    WATCH_CONFIG("watch_config", Type.BOOLEAN, "true", null),
    /** Milliseconds between two looks at the YAML config file for a change. */
    WATCH_INTERVAL_MS("watch_interval_ms", Type.INT, 10, 3_600_000, "1000", null),
    /** The shipped presets in force: all, none, or names joined by + (hikaricp+scheduled). */
    PRESETS("presets", Type.NAMES, Presets.ALL, null),

    // TLS and basic auth of the endpoint
    /** User name of HTTP basic auth on every path. */
    AUTH_USER("auth_user", Type.USER, null, "off"),
    /** File holding the basic-auth password. */
    AUTH_PASSWORD_FILE("auth_password_file", Type.SECRET_FILE, null, ""),
    /** Environment variable holding the basic-auth password. */
    AUTH_PASSWORD_ENV("auth_password_env", Type.SECRET_ENV, null, ""),
    /** PKCS#12 or JKS keystore of the endpoint's TLS key and certificate. */
    TLS_KEYSTORE("tls_keystore", Type.PATH, null, "plain HTTP"),
    /** File holding the keystore's password. */
    TLS_KEYSTORE_PASSWORD_FILE("tls_keystore_password_file", Type.SECRET_FILE, null, ""),
    /** Environment variable holding the keystore's password. */
    TLS_KEYSTORE_PASSWORD_ENV("tls_keystore_password_env", Type.SECRET_ENV, null, ""),

    // Labels
    /** Constant labels on every series served and pushed, name:value;name:value. */
    LABELS("labels", Type.LABELS, "", "none"),

    // Push
    /** The Pushgateway's base URL, pushed to at exit and every push_interval seconds. */
    PUSH_URL("push_url", Type.URL, null, "no push"),
    /** The job of the pushed group. */
    PUSH_JOB("push_job", Type.NAME, null, ""),
    /** More labels of the pushed group's key, name:value;name:value. */
    PUSH_GROUPING("push_grouping", Type.GROUPING, "", "`job` alone"),
    /** Seconds between pushes while the JVM runs; 0 pushes at exit only. */
    PUSH_INTERVAL("push_interval", Type.INT, 0, 86400, "0", null),
    /** Seconds one push may take. */
    PUSH_TIMEOUT("push_timeout", Type.INT, 1, 60, "5", null),
    /** User name of basic auth towards the Pushgateway. */
    PUSH_AUTH_USER("push_auth_user", Type.USER, null, "none"),
    /** File holding the Pushgateway's basic-auth password. */
    PUSH_AUTH_PASSWORD_FILE("push_auth_password_file", Type.SECRET_FILE, null, ""),
    /** Environment variable holding the Pushgateway's basic-auth password. */
    PUSH_AUTH_PASSWORD_ENV("push_auth_password_env", Type.SECRET_ENV, null, ""),
    /** PKCS#12 or JKS keystore of the certificates an https Pushgateway is trusted by. */
    PUSH_TLS_TRUSTSTORE("push_tls_truststore", Type.PATH, null, "JVM default"),
    /** File holding the truststore's password. */
    PUSH_TLS_TRUSTSTORE_PASSWORD_FILE("push_tls_truststore_password_file", Type.SECRET_FILE, null, ""),
    /** Environment variable holding the truststore's password. */
    PUSH_TLS_TRUSTSTORE_PASSWORD_ENV("push_tls_truststore_password_env", Type.SECRET_ENV, null, "");

    /** How an option's text reads. */
    enum Type {
        INT, BOOLEAN, TEXT,
        /** Not empty. */
        NAME,
        /** Not empty and without {@code :}, which ends the user name in basic auth. */
        USER,
        PATH, URL, LABELS,
        /**
         * Names joined by {@code +}: {@code ,} already separates the agent argument's options. A
         * system property, the environment and a properties file may join them with {@code ,}
         * too, and a YAML file may give a list.
         */
        NAMES,
        /** Labels, where {@code instance} is allowed: a group may be one instance's. */
        GROUPING,
        /** Read as a whole in {@link AgentOptions}: the config file. */
        FILE,
        /** Names a file holding a secret, read with its {@code _env} twin. */
        SECRET_FILE,
        /** Names an environment variable holding a secret, read with its {@code _file} twin. */
        SECRET_ENV
    }

    /** Labels Prometheus itself gives meaning to: on the series it scrapes, in histograms and summaries. */
    private static final Set<String> RESERVED_LABELS = Set.of("job", "instance", "le", "quantile");
    /** A grouping key's job is push_job; instance belongs in it when the group is one instance's. */
    private static final Set<String> RESERVED_GROUPING_LABELS = Set.of("job", "le", "quantile");
    private static final String SECRET_FILE_SUFFIX = "_file";

    /** The keys, as the messages that refuse a key list them. */
    static final String KEYS = keys(false);
    /** The keys a config file may set, as the messages that refuse one of its keys list them. */
    static final String FILE_KEYS = keys(true);

    final String key;
    private final Type type;
    private final int min;
    private final int max;
    /** The text the option reads as when it is not given, or {@code null} when it is then unset. */
    final String defaultValue;
    /** What README.md's table says the default is, when it is not {@code defaultValue} in backquotes. */
    private final String defaultProse;

    Option(String key, Type type, int min, int max, String defaultValue, String defaultProse) {
        this.key = key;
        this.type = type;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.defaultProse = defaultProse;
    }

    Option(String key, Type type, String defaultValue, String defaultProse) {
        this(key, type, 0, 0, defaultValue, defaultProse);
    }

    private static String keys(boolean inFileOnly) {
        StringBuilder keys = new StringBuilder();
        for (Option option : values()) {
            if (!inFileOnly || inFile(option.key)) {
                keys.append(keys.length() == 0 ? "" : ", ").append(option.key);
            }
        }
        return keys.toString();
    }

    /** The option of this key, or {@code null}. */
    static Option of(String key) {
        for (Option option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        return null;
    }

    /** Whether {@code key} is a secret itself, which is read through {@code key_file} or {@code key_env}. */
    static boolean isSecret(String key) {
        Option file = of(key + SECRET_FILE_SUFFIX);
        return file != null && file.type == Type.SECRET_FILE;
    }

    /** Whether the config file may set the option {@code key}: all but {@code config}, which may not name another. */
    static boolean inFile(String key) {
        return !CONFIG.key.equals(key);
    }

    /** The system property that sets the option {@code key} for the whole JVM. */
    static String systemProperty(String key) {
        return "metricsagent." + key;
    }

    /** The environment variable that sets the option {@code key} for the whole JVM, below the system property. */
    static String environmentVariable(String key) {
        return "METRICS_AGENT_" + key.toUpperCase(Locale.ROOT);
    }

    /** Whether the option names where a secret is read from: a file or an environment variable. */
    boolean isSecretSource() {
        return type == Type.SECRET_FILE || type == Type.SECRET_ENV;
    }

    /** Whether the value is a list of names. */
    boolean isList() {
        return type == Type.NAMES;
    }

    /** Whether the value is a list of labels. */
    boolean isLabels() {
        return type == Type.LABELS || type == Type.GROUPING;
    }

    /** The default as README.md's table shows it. */
    String documentedDefault() {
        return defaultProse != null ? defaultProse : "`" + defaultValue + "`";
    }

    /**
     * The value of {@code text}, which is trimmed: an {@code Integer}, {@code Boolean}, {@code String},
     * {@code Path}, {@code URI} or label map by {@link #type}.
     *
     * @throws IllegalArgumentException quoting the key and the text
     */
    Object read(String text) {
        switch (type) {
            case INT:
                return parseInt(text);
            case BOOLEAN:
                return parseBoolean(text);
            case NAME:
                if (text.isEmpty()) {
                    throw new IllegalArgumentException(key + "= must not be empty");
                }
                return text;
            case USER:
                if (text.isEmpty() || text.indexOf(':') >= 0) {
                    throw new IllegalArgumentException(key + "=" + text + " must be non-empty and without ':'");
                }
                return text;
            case PATH:
                return Paths.get(text);
            case URL:
                return pushUrl(text);
            case LABELS:
                return labelList(key, text, RESERVED_LABELS);
            case GROUPING:
                return labelList(key, text, RESERVED_GROUPING_LABELS);
            case NAMES:
                return names(text);
            default:
                return text;
        }
    }

    // Split by hand: a regular expression would load java.util.regex in every premain.
    private List<String> names(String text) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '+' || text.charAt(i) == ',') {
                String name = text.substring(start, i).trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException(key + "=" + text + " has an empty name (names joined by +, e.g. "
                            + key + "=hikaricp+scheduled)");
                }
                names.add(name);
                start = i + 1;
            }
        }
        return List.copyOf(names);
    }

    private int parseInt(String text) {
        int parsed;
        try {
            parsed = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + text + " is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(key + "=" + text + " is out of range " + min + ".." + max);
        }
        return parsed;
    }

    private boolean parseBoolean(String text) {
        if (isTrue(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw new IllegalArgumentException(key + "=" + text + " is neither true nor false");
    }

    static boolean isTrue(String text) {
        return "true".equalsIgnoreCase(text);
    }

    /**
     * Labels written {@code name:value;name:value}: {@code ;} and {@code :} are free inside one
     * option of the comma-separated agent argument. A value may hold {@code :} (the name ends at
     * the first one) but not {@code ;}; an empty list is no labels.
     */
    private static Map<String, String> labelList(String key, String value, Set<String> reserved) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (value.isEmpty()) {
            return labels;
        }
        for (String pair : value.split(";", -1)) {
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(key + ": '" + pair.trim() + "' is not of the form name:value"
                        + " (pairs separated by ;, e.g. " + key + "=env:prod;region:eu)");
            }
            addLabel(key, labels, pair.substring(0, colon).trim(), pair.substring(colon + 1).trim(), reserved);
        }
        return labels;
    }

    /**
     * Adds a label to this option's list, checked as each of the command line's {@code name:value}
     * pairs is: what a YAML file's mapping of labels is read with.
     *
     * @throws IllegalArgumentException quoting the key and the label
     */
    void addLabel(Map<String, String> labels, String name, String text) {
        addLabel(key, labels, name, text, type == Type.GROUPING ? RESERVED_GROUPING_LABELS : RESERVED_LABELS);
    }

    private static void addLabel(String key, Map<String, String> labels, String name, String text,
                                 Set<String> reserved) {
        if (!FamilySpec.isName(name) || name.startsWith("__")) {
            throw new IllegalArgumentException(key + ": '" + name + "' is not a valid label name"
                    + " ([a-zA-Z_][a-zA-Z0-9_]*, not starting __)");
        }
        if (reserved.contains(name)) {
            throw new IllegalArgumentException(key + ": '" + name + "' is not allowed: "
                    + String.join(", ", new TreeSet<>(reserved)) + " are Prometheus' own");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(key + ": '" + name + "' has an empty value");
        }
        if (labels.put(name, text) != null) {
            throw new IllegalArgumentException(key + ": '" + name + "' is given twice");
        }
    }

    private static URI pushUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("push_url=" + value + " is not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("push_url=" + value + " is not an http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("push_url must not hold credentials, which every user of the host"
                    + " could read; use push_auth_user and push_auth_password_file or push_auth_password_env");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("push_url=" + value + " must be the Pushgateway's base URL,"
                    + " without query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    }
}
