package io.metricsagent.agent.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.Preset;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * the offending input and lists what is accepted. The options are declared in {@link Option}, and
 * documented in the README's table, which a test holds equal to it.
 *
 * <p>Secrets (the basic-auth password, the TLS keystore password) are only ever read from a file
 * or an environment variable named by an option, never given on the command line, where any user
 * of the host can read them.
 */
public final class AgentOptions {

    public static final int DEFAULT_PORT = Integer.parseInt(Option.PORT.defaultValue);
    public static final int DEFAULT_INTERVAL_SECONDS = Integer.parseInt(Option.INTERVAL.defaultValue);
    /**
     * The longest agent argument, or option set for the whole JVM, read: what Linux allows one
     * word of a command line is eight times this, and each option's value is copied a few times
     * as it is read.
     */
    static final int MAX_ARGUMENT_CHARS = 1 << 14;

    private final int port;
    private final String host;
    private final int intervalSeconds;
    private final boolean nativeHistograms;
    private final boolean exemplars;
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
    private final int watchIntervalMillis;
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
    private final List<Preset> presets = new ArrayList<>();
    private final String presetsProblem;
    private final String configProblem;
    private final String configFile;
    /** Every option as given, after precedence (text, or a YAML file's label mapping): what a reload compares. */
    private final Map<String, Object> settings;
    private final Reading reading;

    private AgentOptions(Builder b) {
        port = b.<Integer>get(Option.PORT);
        host = b.get(Option.HOST);
        intervalSeconds = b.<Integer>get(Option.INTERVAL);
        nativeHistograms = b.<Boolean>get(Option.NATIVE_HISTOGRAMS);
        exemplars = b.<Boolean>get(Option.EXEMPLARS);
        hostMetrics = b.<Boolean>get(Option.HOST_METRICS);
        jvmMetrics = b.<Boolean>get(Option.JVM_METRICS);
        maxSeries = b.<Integer>get(Option.MAX_SERIES);
        maxLabelLength = b.<Integer>get(Option.MAX_LABEL_LENGTH);
        strict = b.<Boolean>get(Option.STRICT);
        authUser = b.get(Option.AUTH_USER);
        authPassword = b.authPassword;
        tlsKeystore = b.get(Option.TLS_KEYSTORE);
        tlsKeystorePassword = b.tlsKeystorePassword;
        watchConfig = b.<Boolean>get(Option.WATCH_CONFIG);
        watchIntervalMillis = b.<Integer>get(Option.WATCH_INTERVAL_MS);
        labels = b.get(Option.LABELS);
        pushUrl = b.get(Option.PUSH_URL);
        pushJob = b.get(Option.PUSH_JOB);
        pushGrouping = b.get(Option.PUSH_GROUPING);
        pushIntervalSeconds = b.<Integer>get(Option.PUSH_INTERVAL);
        pushTimeoutSeconds = b.<Integer>get(Option.PUSH_TIMEOUT);
        pushAuthUser = b.get(Option.PUSH_AUTH_USER);
        pushAuthPassword = b.pushAuthPassword;
        pushTruststore = b.get(Option.PUSH_TLS_TRUSTSTORE);
        pushTruststorePassword = b.pushTruststorePassword;
        rules = b.rules;
        gauges = b.gauges;
        presetsProblem = choosePresets(b.get(Option.PRESETS));
        configProblem = b.configProblem;
        configFile = b.configFile;
        settings = b.settings;
        reading = b.reading;
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

    /**
     * The shipped presets chosen, in force once a class they select loads: all of them unless
     * {@code presets} names some, or {@code none}.
     */
    public List<Preset> presets() {
        return Collections.unmodifiableList(presets);
    }

    /** The names {@code presets} gives that no preset has, as one line; {@code null} when there are none. */
    public String presetsProblem() {
        return presetsProblem;
    }

    private String choosePresets(List<String> names) {
        List<String> chosen = names.equals(List.of(Presets.ALL)) ? Presets.names()
                : names.equals(List.of(Presets.NONE)) ? List.of() : names;
        List<String> unknown = new ArrayList<>();
        for (String name : new LinkedHashSet<>(chosen)) {
            Preset preset = Presets.named(name);
            if (preset == null) {
                unknown.add(name);
            } else {
                presets.add(preset);
            }
        }
        return unknown.isEmpty() ? null : "presets: no preset named " + String.join(", ", unknown) + "; the presets are "
                + String.join(", ", Presets.names()) + " (or all, or none)";
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

    /**
     * The options that differ between these and {@code other}, by key in alphabetical order: each
     * one an option the agent reads at start only, as all of them are.
     */
    public Set<String> differingSettings(AgentOptions other) {
        Set<String> keys = new TreeSet<>();
        for (Option option : Option.values()) {
            if (!Objects.equals(settings.get(option.key), other.settings.get(option.key))) {
                keys.add(option.key);
            }
        }
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
            String value = System.getProperty(Option.systemProperty(key));
            return value != null ? value : System.getenv(Option.environmentVariable(key));
        }
    }

    /**
     * As {@link #parse(String)}, with the environment and the JVM-wide settings given (seams for
     * tests). The agent argument wins over a JVM-wide setting, which wins over the config file.
     *
     * @param jvmSettings an option's value set for the whole JVM, by key, or {@code null}
     */
    static AgentOptions parse(String args, Function<String, String> env, Function<String, String> jvmSettings) {
        if (args != null && args.length() > MAX_ARGUMENT_CHARS) {
            throw new IllegalArgumentException("the agent argument has " + args.length() + " characters; at most "
                    + MAX_ARGUMENT_CHARS + " are read");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Option option : Option.values()) {
            String value = jvmSettings.apply(option.key);
            if (value != null && value.length() > MAX_ARGUMENT_CHARS) {
                throw new IllegalArgumentException(Option.systemProperty(option.key) + " (or "
                        + Option.environmentVariable(option.key) + ") has " + value.length() + " characters; at most "
                        + MAX_ARGUMENT_CHARS + " are read");
            }
            if (value != null) {
                values.put(option.key, value.trim());
            }
        }
        values.putAll(split(args));
        Reading reading = new Reading(args, env, jvmSettings);
        try {
            return builder(values, env, true, reading).build(env);
        } catch (IllegalArgumentException problem) {
            if (!values.containsKey(Option.CONFIG.key)) {
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
        Map<String, Object> values = new LinkedHashMap<>(given);
        String config = given.get(Option.CONFIG.key);
        Builder b = new Builder();
        b.configFile = config;
        b.reading = reading;
        if (config != null && withFile) {
            Map<String, Object> merged;
            if (YamlConfig.isYaml(config)) {
                YamlConfig yaml = YamlConfig.read(config);
                merged = yaml.options;
                b.rules = yaml.rules;
                b.gauges = yaml.gauges;
            } else {
                merged = new LinkedHashMap<>(readConfig(config));
            }
            merged.putAll(values);
            values = merged;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
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
     * is passed over, and so is an argument too long to read. A {@code strict} given twice on the
     * command line (which {@link #parse} refuses) counts as asked for when either says
     * {@code true}. Never throws.
     */
    public static boolean strictRequested(String args) {
        return strictRequested(args, new JvmSettings());
    }

    static boolean strictRequested(String args, Function<String, String> jvmSettings) {
        boolean onCommandLine = false;
        boolean strict = false;
        String config = null;
        String[] pairs = args != null && args.length() > MAX_ARGUMENT_CHARS ? new String[0] : pairs(args);
        for (String pair : pairs) {
            String[] kv = keyValue(pair);
            if (kv == null) {
                continue;
            }
            if (kv[0].equals(Option.STRICT.key)) {
                onCommandLine = true;
                strict |= Option.isTrue(kv[1]);
            } else if (kv[0].equals(Option.CONFIG.key) && config == null) {
                config = kv[1];
            }
        }
        if (onCommandLine) {
            return strict;
        }
        String setting = jvmSettings.apply(Option.STRICT.key);
        if (setting != null) {
            return Option.isTrue(setting.trim());
        }
        if (config == null) {
            config = jvmSettings.apply(Option.CONFIG.key);
        }
        if (config == null) {
            return false;
        }
        try {
            String value = YamlConfig.isYaml(config) ? YamlConfig.option(config, Option.STRICT.key)
                    : loadConfig(config).getProperty(Option.STRICT.key);
            return value != null && Option.isTrue(value.trim());
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
                        "option '" + pair.trim() + "' is not of the form key=value; valid options are: " + Option.KEYS);
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
            if (!Option.inFile(key)) {
                throw new IllegalArgumentException("config=" + file + " names another config file; it may not");
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static Properties loadConfig(String file) {
        String text = ConfigFile.text(Option.CONFIG.key, file);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config=" + file + " cannot be read: " + e);
        }
        return properties;
    }

    private static final class Builder {
        /** Each option's value by {@link Option#ordinal()}, its default until it is given. */
        final Object[] values = new Object[Option.values().length];
        String authPassword;
        String tlsKeystorePassword;
        String pushAuthPassword;
        String pushTruststorePassword;
        List<MethodRule> rules = List.of();
        List<GaugeRule> gauges = List.of();
        String configProblem;
        String configFile;
        Map<String, Object> settings = Map.of();
        Reading reading;

        Builder() {
            for (Option option : Option.values()) {
                if (option.defaultValue != null) {
                    values[option.ordinal()] = option.read(option.defaultValue);
                }
            }
        }

        @SuppressWarnings("unchecked")
        <T> T get(Option option) {
            return (T) values[option.ordinal()];
        }

        /** @param value the option's text, or labels a YAML file gives as a mapping */
        void set(String key, Object value) {
            Option option = Option.of(key);
            if (option != null) {
                // A YAML file's mapping of labels, checked as it was read.
                values[option.ordinal()] = value instanceof Map ? value : option.read((String) value);
            } else if (Option.isSecret(key)) {
                throw new IllegalArgumentException(key + " is not accepted: secrets on the command line are"
                        + " visible to every user of the host; use " + key + "_file or " + key + "_env");
            } else {
                throw new IllegalArgumentException("unknown option '" + key + "'; valid options are: " + Option.KEYS);
            }
        }

        AgentOptions build(Function<String, String> env) {
            Map<String, Object> values = settings;
            String authUser = get(Option.AUTH_USER);
            String password = secret(values, "auth_password", env);
            if (authUser != null && password == null) {
                throw new IllegalArgumentException("auth_user is set but neither auth_password_file nor auth_password_env");
            }
            if (authUser == null && password != null) {
                throw new IllegalArgumentException("an auth password is set but no auth_user");
            }
            authPassword = password;
            String keystorePassword = secret(values, "tls_keystore_password", env);
            Path tlsKeystore = get(Option.TLS_KEYSTORE);
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

        private void buildPush(Map<String, Object> values, Function<String, String> env) {
            String pushPassword = secret(values, "push_auth_password", env);
            String truststorePassword = secret(values, "push_tls_truststore_password", env);
            if (get(Option.PUSH_URL) == null) {
                for (String key : values.keySet()) {
                    if (key.startsWith("push_")) {
                        throw new IllegalArgumentException(key + " is set but no push_url");
                    }
                }
                return;
            }
            if (get(Option.PUSH_JOB) == null) {
                throw new IllegalArgumentException("push_url is set but no push_job");
            }
            String pushAuthUser = get(Option.PUSH_AUTH_USER);
            if (pushAuthUser != null && pushPassword == null) {
                throw new IllegalArgumentException(
                        "push_auth_user is set but neither push_auth_password_file nor push_auth_password_env");
            }
            if (pushAuthUser == null && pushPassword != null) {
                throw new IllegalArgumentException("a push auth password is set but no push_auth_user");
            }
            pushAuthPassword = pushPassword;
            Path pushTruststore = get(Option.PUSH_TLS_TRUSTSTORE);
            if (pushTruststore != null && !Files.isReadable(pushTruststore)) {
                throw new IllegalArgumentException("push_tls_truststore=" + pushTruststore + " cannot be read");
            }
            if (pushTruststore == null && truststorePassword != null) {
                throw new IllegalArgumentException("a truststore password is set but no push_tls_truststore");
            }
            pushTruststorePassword = truststorePassword;
            Map<String, String> pushGrouping = get(Option.PUSH_GROUPING);
            for (Map.Entry<String, String> label : this.<Map<String, String>>get(Option.LABELS).entrySet()) {
                String grouping = pushGrouping.get(label.getKey());
                if (grouping != null && !grouping.equals(label.getValue())) {
                    // The Pushgateway would overwrite the series' label with the grouping key's.
                    throw new IllegalArgumentException("labels and push_grouping give '" + label.getKey()
                            + "' different values (" + label.getValue() + ", " + grouping + ")");
                }
            }
        }

        /** The secret named {@code key}, from {@code key_file} or {@code key_env}; at most one of them. */
        private static String secret(Map<String, Object> values, String key, Function<String, String> env) {
            String file = (String) values.get(key + "_file");
            String variable = (String) values.get(key + "_env");
            if (file != null && variable != null) {
                throw new IllegalArgumentException(key + "_file and " + key + "_env are both set; choose one");
            }
            if (file != null) {
                String text = ConfigFile.text(key + "_file", file).trim();
                if (text.isEmpty()) {
                    throw new IllegalArgumentException(key + "_file=" + file + " is empty");
                }
                return text;
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

    /** Whether the config file is watched, and its rules reloaded when it changes. */
    public boolean watchConfig() {
        return watchConfig;
    }

    public int watchIntervalMillis() {
        return watchIntervalMillis;
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

    /** Whether histogram buckets carry the trace and span of a sampled call when the OpenTelemetry agent runs. */
    public boolean exemplars() {
        return exemplars;
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

    /**
     * Every option by key, in the order of the options table, as given or else as its default
     * reads (empty when it has none): what the status page shows. Where a secret is read from
     * shows only as {@code set} or {@code unset}: a file's path or a variable's name says where to
     * look for it.
     */
    public Map<String, String> inForce() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (Option option : Option.values()) {
            Object given = settings.get(option.key);
            String text;
            if (option.isSecretSource()) {
                text = given == null ? "unset" : "set";
            } else if (given instanceof Map) {
                StringBuilder labels = new StringBuilder();
                ((Map<?, ?>) given).forEach((name, value) ->
                        labels.append(labels.length() == 0 ? "" : ";").append(name).append(':').append(value));
                text = labels.toString();
            } else if (given instanceof List) {
                text = String.join("+", ((List<?>) given).stream().map(String::valueOf).toArray(String[]::new));
            } else if (given != null) {
                text = given.toString();
            } else {
                text = option.defaultValue == null ? "" : option.defaultValue;
            }
            shown.put(option.key, text);
        }
        return shown;
    }
}
