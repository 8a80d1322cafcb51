package io.metricsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {

    private static final String VALID = "valid options are: port, host, interval, host_metrics, jvm_metrics,"
            + " native_histograms, exemplars, max_series, max_label_length, strict, config, watch_config, watch_interval_ms, presets, auth_user,"
            + " auth_password_file, auth_password_env, tls_keystore, tls_keystore_password_file,"
            + " tls_keystore_password_env, labels, push_url, push_job, push_grouping, push_interval, push_timeout,"
            + " push_auth_user, push_auth_password_file, push_auth_password_env, push_tls_truststore,"
            + " push_tls_truststore_password_file, push_tls_truststore_password_env";

    private static void assertOptions(AgentOptions options, int port, String host, int interval, boolean nativeHistograms) {
        assertEquals(port, options.port(), "port");
        assertEquals(host, options.host(), "host");
        assertEquals(interval, options.intervalSeconds(), "interval");
        assertEquals(nativeHistograms, options.nativeHistograms(), "native_histograms");
    }

    private static void assertRejected(String args, String expectedMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(args));
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void defaults() {
        assertOptions(AgentOptions.defaults(), 8000, "", 5, false);
        assertEquals(8000, AgentOptions.DEFAULT_PORT);
        assertEquals(5, AgentOptions.DEFAULT_INTERVAL_SECONDS);
    }

    @Test
    void nullEmptyAndBlankArgumentsGiveDefaults() {
        assertOptions(AgentOptions.parse(null), 8000, "", 5, false);
        assertOptions(AgentOptions.parse(""), 8000, "", 5, false);
        assertOptions(AgentOptions.parse("   "), 8000, "", 5, false);
        assertOptions(AgentOptions.parse("\t \n"), 8000, "", 5, false);
    }

    @Test
    void parsesPort() {
        assertOptions(AgentOptions.parse("port=9100"), 9100, "", 5, false);
        assertOptions(AgentOptions.parse("port=0"), 0, "", 5, false);
        assertOptions(AgentOptions.parse("port=65535"), 65535, "", 5, false);
    }

    @Test
    void parsesHost() {
        assertOptions(AgentOptions.parse("host=127.0.0.1"), 8000, "127.0.0.1", 5, false);
        assertOptions(AgentOptions.parse("host=localhost"), 8000, "localhost", 5, false);
        assertOptions(AgentOptions.parse("host="), 8000, "", 5, false);
    }

    @Test
    void parsesInterval() {
        assertOptions(AgentOptions.parse("interval=10"), 8000, "", 10, false);
        assertOptions(AgentOptions.parse("interval=1"), 8000, "", 1, false);
        assertOptions(AgentOptions.parse("interval=3600"), 8000, "", 3600, false);
    }

    @Test
    void parsesNativeHistograms() {
        assertOptions(AgentOptions.parse("native_histograms=true"), 8000, "", 5, true);
        assertOptions(AgentOptions.parse("native_histograms=TRUE"), 8000, "", 5, true);
        assertOptions(AgentOptions.parse("native_histograms=false"), 8000, "", 5, false);
        assertOptions(AgentOptions.parse("native_histograms=False"), 8000, "", 5, false);
    }

    @Test
    void parsesAllOptionsTogetherWithSurroundingSpaces() {
        assertOptions(AgentOptions.parse(" port = 9100 , host = 0.0.0.0 ,interval=30, native_histograms=true "),
                9100, "0.0.0.0", 30, true);
    }

    @Test
    void unknownKeyIsNamedAndValidOptionsListed() {
        assertRejected("prot=9100", "unknown option 'prot'; " + VALID);
        assertRejected("port=9100,verbose=true", "unknown option 'verbose'; " + VALID);
    }

    @Test
    void nonNumericPort() {
        assertRejected("port=abc", "port=abc is not a whole number");
        assertRejected("port=", "port= is not a whole number");
        assertRejected("port=80.5", "port=80.5 is not a whole number");
    }

    @Test
    void portOutOfRange() {
        assertRejected("port=70000", "port=70000 is out of range 0..65535");
        assertRejected("port=65536", "port=65536 is out of range 0..65535");
        assertRejected("port=-1", "port=-1 is out of range 0..65535");
    }

    @Test
    void intervalOutOfRangeOrNotANumber() {
        assertRejected("interval=0", "interval=0 is out of range 1..3600");
        assertRejected("interval=3601", "interval=3601 is out of range 1..3600");
        assertRejected("interval=5s", "interval=5s is not a whole number");
    }

    @Test
    void missingEquals() {
        assertRejected("port", "option 'port' is not of the form key=value; " + VALID);
        assertRejected("port=9100,interval", "option 'interval' is not of the form key=value; " + VALID);
        assertRejected("=9100", "option '=9100' is not of the form key=value; " + VALID);
        assertRejected("port=9100,", "option '' is not of the form key=value; " + VALID);
    }

    @Test
    void duplicateKey() {
        assertRejected("port=9100,port=9200", "option 'port' is given twice");
        assertRejected("host=a, interval=3 ,host=a", "option 'host' is given twice");
    }

    @Test
    void badBoolean() {
        assertRejected("native_histograms=yes", "native_histograms=yes is neither true nor false");
        assertRejected("native_histograms=1", "native_histograms=1 is neither true nor false");
        assertRejected("native_histograms=", "native_histograms= is neither true nor false");
    }

    @Test
    void safetyOptionsHaveDocumentedDefaultsAndBounds() {
        AgentOptions defaults = AgentOptions.defaults();
        assertEquals(1000, defaults.maxSeries());
        assertEquals(128, defaults.maxLabelLength());
        assertEquals(true, defaults.hostMetrics());
        assertEquals(false, defaults.strict());
        assertEquals(null, defaults.authUser());
        assertEquals(null, defaults.tlsKeystore());
        AgentOptions set = AgentOptions.parse("max_series=5,max_label_length=8,host_metrics=false,strict=true");
        assertEquals(5, set.maxSeries());
        assertEquals(8, set.maxLabelLength());
        assertEquals(false, set.hostMetrics());
        assertEquals(true, set.strict());
        assertRejected("max_series=0", "max_series=0 is out of range 1..1000000");
        assertRejected("max_label_length=7", "max_label_length=7 is out of range 8..65536");
    }

    /** Every spelling of strict: what the failure policy reads, and what the parser reads when it can. */
    @ParameterizedTest(name = "[{0}] strict={1}")
    @CsvSource(delimiter = '|', value = {
        "strict=true|true",
        "strict=TRUE|true",
        "strict=True|true",
        "' strict = true '|true",
        "'\tstrict=true\t'|true",
        "port=1, strict = true|true",
        "prot=1, strict = true|true",
        "prot=1,strict=TRUE|true",
        "strict=true,prot=1|true",
        "strict=true,,port=1|true",
        "junk,strict=true|true",
        "strict=true,auth_password=x|true",
        "strict=true,strict=false|true",
        "strict=false,strict=true|true",
        "strict=false|false",
        "strict=False,prot=1|false",
        "strict=yes|false",
        "strict=1|false",
        "strict=|false",
        "strict|false",
        "STRICT=true|false",
        "strict=\"true\"|false",
        "strict=true=1|false",
        "port=1|false",
        "''|false",
    })
    void strictIsReadAsFarAsTheArgumentCanBeRead(String args, boolean strict) {
        assertEquals(strict, AgentOptions.strictRequested(args));
        AgentOptions parsed;
        try {
            parsed = AgentOptions.parse(args);
        } catch (IllegalArgumentException unparsable) {
            return;
        }
        assertEquals(strict, parsed.strict(), "the parser disagrees");
    }

    @Test
    void strictIsReadFromTheConfigFileUnlessTheCommandLineSetsIt(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "strict=true\n");
        assertStrict(true, "config=" + config);
        assertStrict(false, "config=" + config + ",strict=false");
        Files.writeString(config, "strict = TRUE\nprot=1\n");
        assertStrict(true, "config=" + config);
        Files.writeString(config, "strict: true\nconfig=/other\n");
        assertStrict(true, "config=" + config);
        Files.writeString(config, "strict=true \n");
        assertStrict(true, "config=" + config + ",prot=1");
        Files.writeString(config, "strict=false\n");
        assertStrict(false, "config=" + config);
        assertStrict(true, "config=" + config + ",strict=true,prot=1");
        Files.writeString(config, "strict=yes\n");
        assertStrict(false, "config=" + config);
        assertStrict(true, "config=" + dir.resolve("missing") + ",strict=true");
        assertStrict(false, "config=" + dir.resolve("missing"));
        assertStrict(false, "config=" + dir);
    }

    private static void assertStrict(boolean strict, String args) {
        assertEquals(strict, AgentOptions.strictRequested(args), args);
        try {
            AgentOptions options = AgentOptions.parse(args);
            if (options.configProblem() == null) {
                assertEquals(strict, options.strict(), "the parser disagrees on " + args);
            }
        } catch (IllegalArgumentException unparsable) {
            // the failure policy alone reads it, as it does when the config file is left out
        }
    }

    private static void assertConfigProblem(String args, String problem) {
        AgentOptions options = AgentOptions.parse(args);
        assertEquals(problem, options.configProblem(), args);
        assertEquals(args.contains("port=9300") ? 9300 : AgentOptions.DEFAULT_PORT, options.port(), args);
    }

    @Test
    void configFileIsReadAndTheCommandLineWins(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "# comment\nport = 9100\nhost=127.0.0.1\ninterval=7\n");
        AgentOptions options = AgentOptions.parse("config=" + config + ",port=9200");
        assertOptions(options, 9200, "127.0.0.1", 7, false);
        // A bad file is left out, and said what is wrong with: the agent runs without it.
        Files.writeString(config, "bogus=1\n");
        assertConfigProblem("config=" + config + ",port=9300", "unknown option 'bogus'; " + VALID);
        Files.writeString(config, "config=/other\n");
        assertConfigProblem("config=" + config, "config=" + config + " names another config file; it may not");
        assertConfigProblem("config=" + dir.resolve("missing"), "config=" + dir.resolve("missing")
                + " cannot be read: there is no such file");
        // What is wrong on the command line is still refused.
        assertRejected("config=" + dir.resolve("missing") + ",port=x", "port=x is not a whole number");
    }

    @Test
    void secretsComeFromAFileOrTheEnvironmentOnly(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("password");
        Files.writeString(secret, "  hunter2 \n");
        AgentOptions fromFile = AgentOptions.parse("auth_user=prom,auth_password_file=" + secret);
        assertEquals("prom", fromFile.authUser());
        assertEquals("hunter2", fromFile.authPassword());
        Map<String, String> env = Map.of("PROM_PASSWORD", "from-env");
        assertEquals("from-env", AgentOptions.parse("auth_user=prom,auth_password_env=PROM_PASSWORD", env::get, key -> null).authPassword());

        assertRejected("auth_password=hunter2", "auth_password is not accepted: secrets on the command line are visible"
                + " to every user of the host; use auth_password_file or auth_password_env");
        assertRejected("auth_user=prom", "auth_user is set but neither auth_password_file nor auth_password_env");
        assertRejected("auth_password_file=" + secret, "an auth password is set but no auth_user");
        assertRejected("auth_user=a:b,auth_password_file=" + secret, "auth_user=a:b must be non-empty and without ':'");
        assertRejected("auth_user=prom,auth_password_env=UNSET_VARIABLE_FOR_TEST",
                "auth_password_env=UNSET_VARIABLE_FOR_TEST names an unset or empty variable");
        assertRejected("auth_user=prom,auth_password_file=" + secret + ",auth_password_env=X",
                "auth_password_file and auth_password_env are both set; choose one");
        Files.writeString(secret, "\n");
        assertRejected("auth_user=prom,auth_password_file=" + secret, "auth_password_file=" + secret + " is empty");
    }

    @Test
    void keystoreNeedsAReadableFileAndAPassword(@TempDir Path dir) throws IOException {
        Path keystore = dir.resolve("agent.p12");
        Path secret = dir.resolve("keystore-password");
        Files.writeString(secret, "changeit");
        assertRejected("tls_keystore=" + keystore, "tls_keystore=" + keystore + " cannot be read");
        Files.write(keystore, new byte[] {1});
        assertRejected("tls_keystore=" + keystore,
                "tls_keystore is set but neither tls_keystore_password_file nor tls_keystore_password_env");
        assertRejected("tls_keystore_password_file=" + secret, "a keystore password is set but no tls_keystore");
        AgentOptions tls = AgentOptions.parse("tls_keystore=" + keystore + ",tls_keystore_password_file=" + secret);
        assertEquals(keystore, tls.tlsKeystore());
        assertEquals("changeit", tls.tlsKeystorePassword());
    }

    @Test
    void jvmWideSettingsGiveWayToTheAgentArgumentAndWinOverTheConfigFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "port=1111\ninterval=9\nhost=10.0.0.1\n");
        Map<String, String> settings = Map.of("port", "2222", "interval", " 8 ", "config", config.toString());
        AgentOptions options = AgentOptions.parse("port=3333", name -> null, settings::get);
        assertEquals(3333, options.port());
        assertEquals(8, options.intervalSeconds());
        assertEquals("10.0.0.1", options.host());
        assertEquals(2222, AgentOptions.parse("", name -> null, settings::get).port());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("", name -> null, Map.of("port", "x")::get));
        assertTrue(bad.getMessage().startsWith("port=x"), bad.getMessage());
    }

    @Test
    void jvmMetricsAreOnUnlessTurnedOffWhereverAnOptionIsSet(@TempDir Path dir) throws IOException {
        assertEquals(true, AgentOptions.defaults().jvmMetrics());
        assertEquals(true, AgentOptions.parse("port=1").jvmMetrics());
        assertEquals(false, AgentOptions.parse("jvm_metrics=false").jvmMetrics());
        assertEquals(false, AgentOptions.parse(" jvm_metrics = FALSE ").jvmMetrics());
        assertEquals(true, AgentOptions.parse("jvm_metrics=true").jvmMetrics());
        assertRejected("jvm_metrics=no", "jvm_metrics=no is neither true nor false");
        assertRejected("jvm_metrics=", "jvm_metrics= is neither true nor false");
        assertRejected("jvm_metric=false", "unknown option 'jvm_metric'; " + VALID);

        Path properties = dir.resolve("agent.properties");
        Files.writeString(properties, "jvm_metrics=false\n");
        assertEquals(false, AgentOptions.parse("config=" + properties).jvmMetrics());
        Path yaml = dir.resolve("agent.yml");
        Files.writeString(yaml, "jvm_metrics: false\n");
        AgentOptions fromYaml = AgentOptions.parse("config=" + yaml);
        assertEquals(null, fromYaml.configProblem());
        assertEquals(false, fromYaml.jvmMetrics());
        assertEquals(true, AgentOptions.parse("config=" + yaml + ",jvm_metrics=true").jvmMetrics());

        Map<String, String> off = Map.of("jvm_metrics", "false");
        assertEquals(false, AgentOptions.parse("", name -> null, off::get).jvmMetrics());
        assertEquals(true, AgentOptions.parse("jvm_metrics=true", name -> null, off::get).jvmMetrics());
        assertEquals(true, AgentOptions.parse("config=" + yaml, name -> null, Map.of("jvm_metrics", "true")::get).jvmMetrics());
        assertEquals(Set.of("jvm_metrics"), AgentOptions.parse("config=" + yaml)
                .differingSettings(AgentOptions.parse("config=" + yaml + ",jvm_metrics=true")));
    }

    @Test
    void strictMayBeAJvmWideSettingAndTheArgumentStillWins() {
        assertTrue(AgentOptions.strictRequested("prot=1", Map.of("strict", "true")::get));
        assertFalse(AgentOptions.strictRequested("prot=1,strict=false", Map.of("strict", "true")::get));
        assertFalse(AgentOptions.strictRequested("prot=1", Map.<String, String>of()::get));
    }

    @Test
    void constantLabelsAreNameValuePairsSeparatedBySemicolons() {
        assertEquals(Map.of(), AgentOptions.parse("").labels());
        assertEquals(Map.of(), AgentOptions.parse("labels=").labels());
        AgentOptions options = AgentOptions.parse("port=0,labels= env : prod ;region:eu;zone:eu-west-1:a");
        assertEquals(List.of("env", "region", "zone"), List.copyOf(options.labels().keySet()));
        assertEquals(List.of("prod", "eu", "eu-west-1:a"), List.copyOf(options.labels().values()));
        assertEquals(Map.of("env", "dev"),
                AgentOptions.parse("", name -> null, Map.of("labels", "env:dev")::get).labels());
    }

    @Test
    void constantLabelsAreValidLabelsThatPrometheusDoesNotSetItself() {
        assertRejected("labels=env", "labels: 'env' is not of the form name:value (pairs separated by ;,"
                + " e.g. labels=env:prod;region:eu)");
        assertRejected("labels=env:prod;", "labels: '' is not of the form name:value (pairs separated by ;,"
                + " e.g. labels=env:prod;region:eu)");
        assertRejected("labels=1env:prod", "labels: '1env' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting __)");
        assertRejected("labels=env-x:prod", "labels: 'env-x' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting __)");
        assertRejected("labels=__env:prod", "labels: '__env' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting __)");
        for (String reserved : List.of("job", "instance", "le", "quantile")) {
            assertRejected("labels=" + reserved + ":x", "labels: '" + reserved + "' is not allowed: instance, job, le,"
                    + " quantile are Prometheus' own");
        }
        assertRejected("labels=env:", "labels: 'env' has an empty value");
        assertRejected("labels=env:a;env:b", "labels: 'env' is given twice");
    }

    @Test
    void pushNeedsAUrlAndAJobAndChecksWhatComesWithThem(@TempDir Path dir) throws IOException {
        AgentOptions none = AgentOptions.parse("");
        assertEquals(null, none.pushUrl());
        assertEquals(5, none.pushTimeoutSeconds());
        assertEquals(0, none.pushIntervalSeconds());
        AgentOptions push = AgentOptions.parse("push_url=http://gw.example:9091/,push_job=nightly,"
                + "push_grouping=instance:host-1;shard:3,push_interval=30,push_timeout=2,labels=env:prod;shard:3");
        assertEquals("http://gw.example:9091", push.pushUrl().toString());
        assertEquals("nightly", push.pushJob());
        assertEquals(Map.of("instance", "host-1", "shard", "3"), push.pushGrouping());
        assertEquals(30, push.pushIntervalSeconds());
        assertEquals(2, push.pushTimeoutSeconds());
        assertEquals("https://gw.example/prefix",
                AgentOptions.parse("push_url=https://gw.example/prefix//,push_job=j").pushUrl().toString());

        assertRejected("push_job=nightly", "push_job is set but no push_url");
        assertRejected("push_timeout=3", "push_timeout is set but no push_url");
        assertRejected("push_url=http://gw:9091", "push_url is set but no push_job");
        assertRejected("push_url=http://gw:9091,push_job=", "push_job= must not be empty");
        assertRejected("push_url=gw:9091,push_job=j", "push_url=gw:9091 is not an http:// or https:// URL with a host");
        assertRejected("push_url=ftp://gw,push_job=j", "push_url=ftp://gw is not an http:// or https:// URL with a host");
        assertRejected("push_url=http://gw/?x=1,push_job=j",
                "push_url=http://gw/?x=1 must be the Pushgateway's base URL, without query or fragment");
        assertRejected("push_url=http://u:p@gw,push_job=j", "push_url must not hold credentials, which every user of"
                + " the host could read; use push_auth_user and push_auth_password_file or push_auth_password_env");
        assertRejected("push_url=http://gw,push_job=j,push_interval=-1", "push_interval=-1 is out of range 0..86400");
        assertRejected("push_url=http://gw,push_job=j,push_timeout=0", "push_timeout=0 is out of range 1..60");
        assertRejected("push_url=http://gw,push_job=j,push_timeout=61", "push_timeout=61 is out of range 1..60");
        assertRejected("push_url=http://gw,push_job=j,push_grouping=job:x",
                "push_grouping: 'job' is not allowed: job, le, quantile are Prometheus' own");
        assertRejected("push_url=http://gw,push_job=j,push_grouping=region:us,labels=region:eu",
                "labels and push_grouping give 'region' different values (eu, us)");

        Path secret = dir.resolve("push-password");
        Files.writeString(secret, "s3cret\n");
        AgentOptions auth = AgentOptions.parse("push_url=https://gw,push_job=j,push_auth_user=pusher,"
                + "push_auth_password_file=" + secret);
        assertEquals("pusher", auth.pushAuthUser());
        assertEquals("s3cret", auth.pushAuthPassword());
        assertRejected("push_url=http://gw,push_job=j,push_auth_password=x", "push_auth_password is not accepted:"
                + " secrets on the command line are visible to every user of the host; use push_auth_password_file"
                + " or push_auth_password_env");
        assertRejected("push_url=http://gw,push_job=j,push_auth_user=pusher",
                "push_auth_user is set but neither push_auth_password_file nor push_auth_password_env");
        assertRejected("push_url=http://gw,push_job=j,push_auth_password_file=" + secret,
                "a push auth password is set but no push_auth_user");

        Path truststore = dir.resolve("trust.p12");
        assertRejected("push_url=https://gw,push_job=j,push_tls_truststore=" + truststore,
                "push_tls_truststore=" + truststore + " cannot be read");
        Files.write(truststore, new byte[] {1});
        AgentOptions tls = AgentOptions.parse("push_url=https://gw,push_job=j,push_tls_truststore=" + truststore);
        assertEquals(truststore, tls.pushTruststore());
        assertEquals(null, tls.pushTruststorePassword());
        assertRejected("push_url=https://gw,push_job=j,push_tls_truststore_password_file=" + secret,
                "a truststore password is set but no push_tls_truststore");
    }
}
