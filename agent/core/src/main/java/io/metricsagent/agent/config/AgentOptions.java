package io.metricsagent.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import io.metricsagent.agent.instrument.FamilySpec;
import io.metricsagent.agent.instrument.GaugeRule;
import io.metricsagent.agent.instrument.MethodRule;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The agent's options, parsed from the text after {@code -javaagent:metrics-agent.jar=}: a
 * comma-separated list of {@code key=value} pairs, e.g. {@code port=9100,host=127.0.0.1}, and
 * optionally from a properties file named by {@code config=} (options on the command line win).
 * Immutable; {@link #parse} rejects unknown keys and malformed values with a message that quotes
 * the offending input and lists what is accepted. Every option is documented in the README.
 *
 * <p>Secrets (the basic-auth password, the TLS keystore password) are only ever read from a file
 * or an environment variable named by an option, never given on the command line, where any user
 * of the host can read them.
 */
public final class AgentOptions {

    public static final int DEFAULT_PORT = 8000;
    public static final int DEFAULT_INTERVAL_SECONDS = 5;
    public static final int DEFAULT_MAX_SERIES = 1000;
    public static final int DEFAULT_MAX_LABEL_LENGTH = 128;

    private static final String KEYS = "port, host, interval, native_histograms, host_metrics, max_series,"
            + " max_label_length, strict, config, auth_user, auth_password_file, auth_password_env,"
            + " tls_keystore, tls_keystore_password_file, tls_keystore_password_env, watch_config, jvm_metrics, labels,"
            + " push_url, push_job, push_grouping, push_interval, push_timeout, push_auth_user, push_auth_password_file,"
            + " push_auth_password_env, push_tls_truststore, push_tls_truststore_password_file,"
            + " push_tls_truststore_password_env";
    public static final int DEFAULT_PUSH_TIMEOUT_SECONDS = 5;
    /** Labels Prometheus itself gives meaning to: on the series it scrapes, in histograms and summaries. */
    private static final Set<String> RESERVED_LABELS = Set.of("job", "instance", "le", "quantile");
    /** A grouping key's job is push_job; instance belongs in it when the group is one instance's. */
    private static final Set<String> RESERVED_GROUPING_LABELS = Set.of("job", "le", "quantile");
    /** What a YAML configuration file may set at its top level: every option but config. */
    private static final Set<String> OPTION_KEYS = optionKeys();
    private static final List<String> ALL_KEYS = Arrays.asList(KEYS.split(", "));

    private final int port;
    private final String host;
    private final int intervalSeconds;
    private final boolean nativeHistograms;
    private final boolean hostMetrics;
    private final boolean jvmMetrics;
    private final int maxSeries;
    private final int maxLabelLength;
    private final boolean strict;
    private final String authUser;
    private final String authPassword;
    private final Path tlsKeystore;
    private final String tlsKeystorePassword;
    private final boolean watchConfig;
    private final Map<String, String> labels;
    private final URI pushUrl;
    private final String pushJob;
    private final Map<String, String> pushGrouping;
    private final int pushIntervalSeconds;
    private final int pushTimeoutSeconds;
    private final String pushAuthUser;
    private final String pushAuthPassword;
    private final Path pushTruststore;
    private final String pushTruststorePassword;
    private final List<MethodRule> rules;
    private final List<GaugeRule> gauges;
    private final String configProblem;
    private final String configFile;
    /** Every option as given, after precedence: what a reload compares. */
    private final Map<String, String> settings;
    private final Reading reading;

    private AgentOptions(Builder b) {
        port = b.port;
        host = b.host;
        intervalSeconds = b.intervalSeconds;
        nativeHistograms = b.nativeHistograms;
        hostMetrics = b.hostMetrics;
        jvmMetrics = b.jvmMetrics;
        maxSeries = b.maxSeries;
        maxLabelLength = b.maxLabelLength;
        strict = b.strict;
        authUser = b.authUser;
        authPassword = b.authPassword;
        tlsKeystore = b.tlsKeystore;
        tlsKeystorePassword = b.tlsKeystorePassword;
        watchConfig = b.watchConfig;
        labels = b.labels;
        pushUrl = b.pushUrl;
        pushJob = b.pushJob;
        pushGrouping = b.pushGrouping;
        pushIntervalSeconds = b.pushIntervalSeconds;
        pushTimeoutSeconds = b.pushTimeoutSeconds;
        pushAuthUser = b.pushAuthUser;
        pushAuthPassword = b.pushAuthPassword;
        pushTruststore = b.pushTruststore;
        pushTruststorePassword = b.pushTruststorePassword;
        rules = b.rules;
        gauges = b.gauges;
        configProblem = b.configProblem;
        configFile = b.configFile;
        settings = b.settings;
        reading = b.reading;
    }

    private static Set<String> optionKeys() {
        Set<String> keys = new LinkedHashSet<>(Arrays.asList(KEYS.split(", ")));
        keys.remove("config");
        return keys;
    }

    /**
     * What was wrong with the config file, which the options leave out (the agent runs without
     * it), or {@code null}.
     */
    public String configProblem() {
        return configProblem;
    }

    /** The rules of the configuration file, for methods no one may annotate; empty without one. */
    public List<MethodRule> rules() {
        return rules;
    }

    /** The gauges of the configuration file, read from methods no one may annotate; empty without one. */
    public List<GaugeRule> gauges() {
        return gauges;
    }

    /** The options when none are given. */
    public static AgentOptions defaults() {
        return new AgentOptions(new Builder());
    }

    /**
     * The options read again as they were first read, the config file as it is now: with
     * {@link #configProblem()} set when the file no longer reads.
     */
    public AgentOptions reread() {
        return reading == null ? this : parse(reading.args, reading.env, reading.jvmSettings);
    }

    /** The file named by {@code config=}, or {@code null}. */
    public String configFile() {
        return configFile;
    }

    /** Whether {@code config=} names a YAML file: the one kind with rules, and so worth watching. */
    public boolean configIsYaml() {
        return configFile != null && YamlConfig.isYaml(configFile);
    }

    /** The options that differ between these and {@code other}, by key. */
    public Set<String> differingSettings(AgentOptions other) {
        Set<String> keys = new TreeSet<>(settings.keySet());
        keys.addAll(other.settings.keySet());
        keys.removeIf(key -> Objects.equals(settings.get(key), other.settings.get(key)));
        return keys;
    }

    /**
     * Parses the agent argument; {@code null} or blank gives the defaults.
     *
     * @throws IllegalArgumentException naming the bad key or value and what is accepted
     */
    public static AgentOptions parse(String args) {
        return parse(args, new SystemEnvironment(), new JvmSettings());
    }

    /**
     * Parses as the JVM the agent is to be attached to will, so that the attach command refuses
     * bad options before it loads anything there. Files are read here, on the same host; the
     * environment is the other JVM's, which this process cannot see, so a variable named by a
     * {@code *_env} option counts as set (if it is not, that JVM says so in its one line).
     *
     * @throws IllegalArgumentException as {@link #parse(String)}
     */
    public static AgentOptions parseForAttach(String args) {
        return parse(args, name -> "set in the other JVM", key -> null);
    }

    // Classes, not lambdas or System::getenv: premain would pay for bootstrapping java.lang.invoke.
    private static final class SystemEnvironment implements Function<String, String> {
        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }

    /**
     * An option set for the whole JVM, as other agents let it be: the system property
     * {@code metricsagent.<key>}, else the environment variable {@code METRICS_AGENT_<KEY>}.
     */
    private static final class JvmSettings implements Function<String, String> {
        @Override
        public String apply(String key) {
            String value = System.getProperty("metricsagent." + key);
            return value != null ? value : System.getenv("METRICS_AGENT_" + key.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * As {@link #parse(String)}, with the environment and the JVM-wide settings given (seams for
     * tests). The agent argument wins over a JVM-wide setting, which wins over the config file.
     *
     * @param jvmSettings an option's value set for the whole JVM, by key, or {@code null}
     */
    static AgentOptions parse(String args, Function<String, String> env, Function<String, String> jvmSettings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : ALL_KEYS) {
            String value = jvmSettings.apply(key);
            if (value != null) {
                values.put(key, value.trim());
            }
        }
        values.putAll(split(args));
        Reading reading = new Reading(args, env, jvmSettings);
        try {
            return builder(values, env, true, reading).build(env);
        } catch (IllegalArgumentException problem) {
            if (!values.containsKey("config")) {
                throw problem;
            }
            // The agent runs without a bad file; what is still wrong without it is the command line's.
            Builder b = builder(values, env, false, reading);
            b.configProblem = problem.getMessage();
            return b.build(env);
        }
    }

    private static Builder builder(Map<String, String> given, Function<String, String> env, boolean withFile,
                                   Reading reading) {
        Map<String, String> values = given;
        String config = values.get("config");
        Builder b = new Builder();
        b.configFile = config;
        b.reading = reading;
        if (config != null && withFile) {
            Map<String, String> merged;
            if (YamlConfig.isYaml(config)) {
                YamlConfig yaml = YamlConfig.read(config, OPTION_KEYS);
                merged = yaml.options;
                b.rules = yaml.rules;
                b.gauges = yaml.gauges;
            } else {
                merged = readConfig(config);
            }
            merged.putAll(values);
            values = merged;
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            b.set(e.getKey(), e.getValue());
        }
        b.settings = values;
        return b;
    }

    /** How options were read, to read them again. */
    private static final class Reading {
        final String args;
        final Function<String, String> env;
        final Function<String, String> jvmSettings;

        Reading(String args, Function<String, String> env, Function<String, String> jvmSettings) {
            this.args = args;
            this.env = env;
            this.jvmSettings = jvmSettings;
        }
    }

    /**
     * Whether the argument asks for {@code strict=true}, read as far as it can be read when
     * {@link #parse} fails: on the command line, else in the file named by {@code config=}. Pairs
     * and values are read exactly as {@link #parse} reads them, so that whenever it succeeds the
     * two agree; a pair that is not {@code key=value}, an unknown key or a file that cannot be read
     * is passed over. A {@code strict} given twice on the command line (which {@link #parse}
     * refuses) counts as asked for when either says {@code true}. Never throws.
     */
    public static boolean strictRequested(String args) {
        return strictRequested(args, new JvmSettings());
    }

    static boolean strictRequested(String args, Function<String, String> jvmSettings) {
        boolean onCommandLine = false;
        boolean strict = false;
        String config = null;
        for (String pair : pairs(args)) {
            String[] kv = keyValue(pair);
            if (kv == null) {
                continue;
            }
            if (kv[0].equals("strict")) {
                onCommandLine = true;
                strict |= isTrue(kv[1]);
            } else if (kv[0].equals("config") && config == null) {
                config = kv[1];
            }
        }
        if (onCommandLine) {
            return strict;
        }
        String setting = jvmSettings.apply("strict");
        if (setting != null) {
            return isTrue(setting.trim());
        }
        if (config == null) {
            config = jvmSettings.apply("config");
        }
        if (config == null) {
            return false;
        }
        try {
            String value = YamlConfig.isYaml(config) ? YamlConfig.option(config, "strict")
                    : loadConfig(config).getProperty("strict");
            return value != null && isTrue(value.trim());
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static String[] pairs(String args) {
        return args == null || args.trim().isEmpty() ? new String[0] : args.split(",", -1);
    }

    /** Key and value of one {@code key=value} pair, both trimmed; {@code null} when it is not one. */
    private static String[] keyValue(String pair) {
        String trimmed = pair.trim();
        int eq = trimmed.indexOf('=');
        return eq <= 0 ? null : new String[] {trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim()};
    }

    private static Map<String, String> split(String args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : pairs(args)) {
            String[] kv = keyValue(pair);
            if (kv == null) {
                throw new IllegalArgumentException(
                        "option '" + pair.trim() + "' is not of the form key=value; valid options are: " + KEYS);
            }
            if (values.put(kv[0], kv[1]) != null) {
                throw new IllegalArgumentException("option '" + kv[0] + "' is given twice");
            }
        }
        return values;
    }

    private static Map<String, String> readConfig(String file) {
        Properties properties = loadConfig(file);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.equals("config")) {
                throw new IllegalArgumentException("config=" + file + " names another config file; it may not");
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static Properties loadConfig(String file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config=" + file + " cannot be read: " + e);
        }
        return properties;
    }

    private static final class Builder {
        int port = DEFAULT_PORT;
        String host = "";
        int intervalSeconds = DEFAULT_INTERVAL_SECONDS;
        boolean nativeHistograms;
        boolean hostMetrics = true;
        boolean jvmMetrics = true;
        int maxSeries = DEFAULT_MAX_SERIES;
        int maxLabelLength = DEFAULT_MAX_LABEL_LENGTH;
        boolean strict;
        String authUser;
        String authPassword;
        Path tlsKeystore;
        String tlsKeystorePassword;
        boolean watchConfig = true;
        Map<String, String> labels = Map.of();
        URI pushUrl;
        String pushJob;
        Map<String, String> pushGrouping = Map.of();
        int pushIntervalSeconds;
        int pushTimeoutSeconds = DEFAULT_PUSH_TIMEOUT_SECONDS;
        String pushAuthUser;
        String pushAuthPassword;
        Path pushTruststore;
        String pushTruststorePassword;
        List<MethodRule> rules = List.of();
        List<GaugeRule> gauges = List.of();
        String configProblem;
        String configFile;
        Map<String, String> settings = Map.of();
        Reading reading;

        void set(String key, String value) {
            switch (key) {
                case "port":
                    port = parseInt(key, value, 0, 65535);
                    break;
                case "host":
                    host = value;
                    break;
                case "interval":
                    intervalSeconds = parseInt(key, value, 1, 3600);
                    break;
                case "native_histograms":
                    nativeHistograms = parseBoolean(key, value);
                    break;
                case "host_metrics":
                    hostMetrics = parseBoolean(key, value);
                    break;
                case "jvm_metrics":
                    jvmMetrics = parseBoolean(key, value);
                    break;
                case "max_series":
                    maxSeries = parseInt(key, value, 1, 1_000_000);
                    break;
                case "max_label_length":
                    maxLabelLength = parseInt(key, value, 8, 65536);
                    break;
                case "strict":
                    strict = parseBoolean(key, value);
                    break;
                case "watch_config":
                    watchConfig = parseBoolean(key, value);
                    break;
                case "auth_user":
                    authUser = user(key, value);
                    break;
                case "labels":
                    labels = labelList(key, value, RESERVED_LABELS);
                    break;
                case "push_url":
                    pushUrl = pushUrl(value);
                    break;
                case "push_job":
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("push_job= must not be empty");
                    }
                    pushJob = value;
                    break;
                case "push_grouping":
                    pushGrouping = labelList(key, value, RESERVED_GROUPING_LABELS);
                    break;
                case "push_interval":
                    pushIntervalSeconds = parseInt(key, value, 0, 86400);
                    break;
                case "push_timeout":
                    pushTimeoutSeconds = parseInt(key, value, 1, 60);
                    break;
                case "push_auth_user":
                    pushAuthUser = user(key, value);
                    break;
                case "push_tls_truststore":
                    pushTruststore = Paths.get(value);
                    break;
                case "tls_keystore":
                    tlsKeystore = Paths.get(value);
                    break;
                case "config":
                case "auth_password_file":
                case "auth_password_env":
                case "tls_keystore_password_file":
                case "tls_keystore_password_env":
                case "push_auth_password_file":
                case "push_auth_password_env":
                case "push_tls_truststore_password_file":
                case "push_tls_truststore_password_env":
                    break; // read in build(), where the pairs are checked together
                case "auth_password":
                case "tls_keystore_password":
                case "push_auth_password":
                case "push_tls_truststore_password":
                    throw new IllegalArgumentException(key + " is not accepted: secrets on the command line are"
                            + " visible to every user of the host; use " + key + "_file or " + key + "_env");
                default:
                    throw new IllegalArgumentException(
                            "unknown option '" + key + "'; valid options are: " + KEYS);
            }
        }

        AgentOptions build(Function<String, String> env) {
            Map<String, String> values = settings;
            String password = secret(values, "auth_password", env);
            if (authUser != null && password == null) {
                throw new IllegalArgumentException("auth_user is set but neither auth_password_file nor auth_password_env");
            }
            if (authUser == null && password != null) {
                throw new IllegalArgumentException("an auth password is set but no auth_user");
            }
            authPassword = password;
            String keystorePassword = secret(values, "tls_keystore_password", env);
            if (tlsKeystore != null) {
                if (!Files.isReadable(tlsKeystore)) {
                    throw new IllegalArgumentException("tls_keystore=" + tlsKeystore + " cannot be read");
                }
                if (keystorePassword == null) {
                    throw new IllegalArgumentException(
                            "tls_keystore is set but neither tls_keystore_password_file nor tls_keystore_password_env");
                }
            } else if (keystorePassword != null) {
                throw new IllegalArgumentException("a keystore password is set but no tls_keystore");
            }
            tlsKeystorePassword = keystorePassword;
            buildPush(values, env);
            return new AgentOptions(this);
        }

        private void buildPush(Map<String, String> values, Function<String, String> env) {
            String pushPassword = secret(values, "push_auth_password", env);
            String truststorePassword = secret(values, "push_tls_truststore_password", env);
            if (pushUrl == null) {
                for (String key : values.keySet()) {
                    if (key.startsWith("push_")) {
                        throw new IllegalArgumentException(key + " is set but no push_url");
                    }
                }
                return;
            }
            if (pushJob == null) {
                throw new IllegalArgumentException("push_url is set but no push_job");
            }
            if (pushAuthUser != null && pushPassword == null) {
                throw new IllegalArgumentException(
                        "push_auth_user is set but neither push_auth_password_file nor push_auth_password_env");
            }
            if (pushAuthUser == null && pushPassword != null) {
                throw new IllegalArgumentException("a push auth password is set but no push_auth_user");
            }
            pushAuthPassword = pushPassword;
            if (pushTruststore != null && !Files.isReadable(pushTruststore)) {
                throw new IllegalArgumentException("push_tls_truststore=" + pushTruststore + " cannot be read");
            }
            if (pushTruststore == null && truststorePassword != null) {
                throw new IllegalArgumentException("a truststore password is set but no push_tls_truststore");
            }
            pushTruststorePassword = truststorePassword;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                String grouping = pushGrouping.get(label.getKey());
                if (grouping != null && !grouping.equals(label.getValue())) {
                    // The Pushgateway would overwrite the series' label with the grouping key's.
                    throw new IllegalArgumentException("labels and push_grouping give '" + label.getKey()
                            + "' different values (" + label.getValue() + ", " + grouping + ")");
                }
            }
        }

        private static String user(String key, String value) {
            if (value.isEmpty() || value.indexOf(':') >= 0) {
                throw new IllegalArgumentException(key + "=" + value + " must be non-empty and without ':'");
            }
            return value;
        }

        /** The secret named {@code key}, from {@code key_file} or {@code key_env}; at most one of them. */
        private static String secret(Map<String, String> values, String key, Function<String, String> env) {
            String file = values.get(key + "_file");
            String variable = values.get(key + "_env");
            if (file != null && variable != null) {
                throw new IllegalArgumentException(key + "_file and " + key + "_env are both set; choose one");
            }
            if (file != null) {
                try {
                    String text = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).trim();
                    if (text.isEmpty()) {
                        throw new IllegalArgumentException(key + "_file=" + file + " is empty");
                    }
                    return text;
                } catch (IOException e) {
                    throw new IllegalArgumentException(key + "_file=" + file + " cannot be read: " + e);
                }
            }
            if (variable != null) {
                String text = env.apply(variable);
                if (text == null || text.isEmpty()) {
                    throw new IllegalArgumentException(key + "_env=" + variable + " names an unset or empty variable");
                }
                return text;
            }
            return null;
        }
    }

    /**
     * Labels written {@code name:value;name:value}: {@code ;} and {@code :} are free inside one
     * option of the comma-separated agent argument. A value may hold {@code :} (the name ends at
     * the first one) but not {@code ;}; an empty list is no labels.
     */
    static Map<String, String> labelList(String key, String value, Set<String> reserved) {
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
            String name = pair.substring(0, colon).trim();
            String text = pair.substring(colon + 1).trim();
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
        return labels;
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

    private static boolean isTrue(String value) {
        return "true".equalsIgnoreCase(value);
    }

    private static boolean parseBoolean(String key, String value) {
        if (isTrue(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw new IllegalArgumentException(key + "=" + value + " is neither true nor false");
    }

    /** Whether the config file is watched, and its rules reloaded when it changes. */
    public boolean watchConfig() {
        return watchConfig;
    }

    /** Labels on every series this JVM serves and pushes, by name, in the order given; empty without. */
    public Map<String, String> labels() {
        return labels;
    }

    /** The Pushgateway's base URL, without a trailing {@code /}, or {@code null} when nothing is pushed. */
    public URI pushUrl() {
        return pushUrl;
    }

    /** The {@code job} of the pushed group, or {@code null} when nothing is pushed. */
    public String pushJob() {
        return pushJob;
    }

    /** The grouping key's labels besides {@code job}, in the order given. */
    public Map<String, String> pushGrouping() {
        return pushGrouping;
    }

    /** Seconds between two pushes while the JVM runs; 0 pushes at exit only. */
    public int pushIntervalSeconds() {
        return pushIntervalSeconds;
    }

    /** Longest a push may take, at exit included, in seconds. */
    public int pushTimeoutSeconds() {
        return pushTimeoutSeconds;
    }

    /** User name of basic auth towards the Pushgateway, or {@code null}. */
    public String pushAuthUser() {
        return pushAuthUser;
    }

    /** Password of basic auth towards the Pushgateway, or {@code null}. */
    public String pushAuthPassword() {
        return pushAuthPassword;
    }

    /** Keystore of the certificates an https Pushgateway is trusted by, or {@code null} for the JVM's defaults. */
    public Path pushTruststore() {
        return pushTruststore;
    }

    /** Password of {@link #pushTruststore()}, or {@code null}. */
    public String pushTruststorePassword() {
        return pushTruststorePassword;
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

    /** Whether the host sampler runs. */
    public boolean hostMetrics() {
        return hostMetrics;
    }

    /** Whether the JVM's own metrics (memory, GC, threads, classes, buffer pools, process) are served. */
    public boolean jvmMetrics() {
        return jvmMetrics;
    }

    /** Most series one metric may have; further label combinations are folded into one overflow series. */
    public int maxSeries() {
        return maxSeries;
    }

    /** Longest label value taken from a call's arguments; longer ones are cut to this many characters. */
    public int maxLabelLength() {
        return maxLabelLength;
    }

    /** Whether {@code strict=true} was given; what it does is the agent's FailurePolicy's to decide. */
    public boolean strict() {
        return strict;
    }

    /** User name of HTTP basic auth on the endpoint, or {@code null} when it is open. */
    public String authUser() {
        return authUser;
    }

    /** Password of HTTP basic auth, or {@code null}. */
    public String authPassword() {
        return authPassword;
    }

    /** PKCS#12 or JKS keystore holding the endpoint's TLS key and certificate, or {@code null} for plain HTTP. */
    public Path tlsKeystore() {
        return tlsKeystore;
    }

    /** Password of {@link #tlsKeystore()}, or {@code null}. */
    public String tlsKeystorePassword() {
        return tlsKeystorePassword;
    }
}
