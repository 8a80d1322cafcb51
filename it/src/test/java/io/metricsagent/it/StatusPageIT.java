package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.yaml.snakeyaml.Yaml;

/**
 * The agent's own page at {@code /} and {@code /-/status}, on the legacy application with a
 * watched config file: the JSON read field by field against {@code /metrics} at the same moment
 * (the application idle between the two), the page opened in a headless chromium (Debian's
 * {@code chromium} and {@code chromium-driver}; without them that test is skipped, saying so):
 * no console message, its tables equal to {@code /metrics}, a reload's result and the new rule's
 * methods after the file is rewritten, and the live charts drawn after the script's reads. The
 * screenshot it takes is README's (docs/images/status-page.png, with
 * {@code -Dstatus.screenshot=<that path>}; target/status-page.png otherwise).
 */
class StatusPageIT {

    private static final String GATEWAYS = ""
            + "  - extends: io.metricsagent.legacy.Gateway\n"
            + "    method: charge\n"
            + "    name: gateway_charges\n"
            + "    labels: {gateway: $class}\n"
            + "    failed_when: {value: return.status, equals: DECLINED}\n";
    private static final String ENDPOINTS = ""
            + "  - annotated: io.metricsagent.legacy.Endpoint\n"
            + "    exclude: [{method: health}]\n"
            + "    name: endpoint_calls\n"
            + "    labels: {handler: $method}\n";
    private static final String LEGACY = "io.metricsagent.legacy.";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(int port) throws Exception {
        HttpResponse<String> response = get(port, "/-/status", null);
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        // JSON is YAML.
        return (Map<String, Object>) new Yaml().load(response.body());
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object json, Object... path) {
        Object node = json;
        for (Object step : path) {
            node = step instanceof Integer ? ((List<Object>) node).get((Integer) step) : ((Map<String, Object>) node).get(step);
        }
        return (T) node;
    }

    private static long whole(Object json, Object... path) {
        return ((Number) at(json, path)).longValue();
    }

    @OnEveryJdk
    void statusJsonEqualsMetricsAtTheSameMoment(String jdk, Path java, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, "metrics:\n" + GATEWAYS + ReloadIT.ROUTES_BY_HANDLER + ReloadIT.COMMANDS);
        try (JvmProcess app = RuleSelectionIT.legacyApp(java, config)) {
            int port = app.metricsPort();
            RuleSelectionIT.run(app, "charge card 5 50");
            RuleSelectionIT.run(app, "charge card 2 1500");
            RuleSelectionIT.run(app, "account 2");
            Map<String, Object> status = status(port);
            Exposition m = Exposition.scrape(port);

            assertEquals(Exposition.labels(m.series("metrics_agent_info").get(0)).get("version"), at(status, "version"));
            assertEquals("0", at(status, "options", "port"));
            assertEquals("127.0.0.1", at(status, "options", "host"));
            assertEquals("unset", at(status, "options", "auth_password_file"));
            assertEquals(config.toString(), at(status, "options", "config"));
            assertEquals(config.toString(), at(status, "config", "file"));
            assertEquals(true, at(status, "config", "watched"));
            assertEquals(m.gauge("metrics_agent_config_loaded_timestamp_seconds"),
                    ((Number) at(status, "config", "loaded_at")).doubleValue());
            assertEquals(Map.of("success", 0, "failure", 0), (Map<String, Object>) at(status, "config", "reloads"));
            assertNull(at(status, "config", "last_reload"));

            List<Map<String, Object>> rules = at(status, "rules");
            assertEquals(List.of(
                    rule("rules.yml:2", "rule", "gateway_charges",
                            List.of(LEGACY + "CardGateway.charge", LEGACY + "SandboxGateway.charge"), 7),
                    rule("rules.yml:7", "rule", "route_calls",
                            List.of(LEGACY + "AccountHandlers.close", LEGACY + "AccountHandlers.open"), 4),
                    rule("rules.yml:11", "gauge", "legacy_commands_done", List.of(LEGACY + "Commands.count"), null)),
                    rules);
            assertEquals((long) m.counter("gateway_charges_total"), whole(rules, 0, "calls"));
            assertEquals((long) m.counter("route_calls_total"), whole(rules, 1, "calls"));
            for (int i = 0; i < 3; i++) {
                assertEquals((long) m.gauge("metrics_agent_rule_methods", "rule=" + at(rules, i, "rule")),
                        ((List<?>) at(rules, i, "methods")).size());
            }

            assertEquals(1000, whole(status, "max_series"));
            List<Map<String, Object>> families = at(status, "families");
            List<String> names = families.stream().map(f -> (String) f.get("name")).collect(Collectors.toList());
            assertEquals(List.of("gateway_charges_total", "gateway_charges_duration_seconds", "legacy_commands_done",
                    "route_calls_total", "route_calls_duration_seconds"), names);
            for (Map<String, Object> family : families) {
                String name = (String) family.get("name");
                assertEquals(m.family(name).getMetricCount(), whole(family, "series"), name);
                assertEquals(0, whole(family, "overflow"), name);
            }
            assertEquals("histogram", at(families, 1, "type"));
            assertEquals("counter", at(families, 0, "type"));
            assertEquals("gauge", at(families, 2, "type"));

            List<Map<String, Object>> timings = at(status, "timings");
            assertEquals(List.of("gateway_charges_duration_seconds{gateway=CardGateway}",
                    "route_calls_duration_seconds{handler=close}", "route_calls_duration_seconds{handler=open}"),
                    timings.stream().map(t -> t.get("family") + labelText(at(t, "labels")))
                            .collect(Collectors.toList()));
            assertEquals(List.of(7L, 2L, 2L), timings.stream().map(t -> whole(t, "calls")).collect(Collectors.toList()));
            assertEquals(List.of(2L, 0L, 0L),
                    timings.stream().map(t -> whole(t, "failures")).collect(Collectors.toList()));
            for (Map<String, Object> timing : timings) {
                String family = (String) timing.get("family");
                Map<String, String> labelMap = at(timing, "labels");
                String[] labels = labelMap.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new);
                assertEquals(m.histogramCount(family, labels), whole(timing, "calls"));
                assertEquals(m.histogramCount(family, concat(labels, "outcome=failure")), whole(timing, "failures"));
                assertEquals(m.histogramSum(family, labels), ((Number) timing.get("sum")).doubleValue(), 1e-12);
                List<Map<String, Object>> buckets = at(timing, "buckets");
                assertEquals("+Inf", at(buckets, buckets.size() - 1, "le"));
                assertEquals(whole(timing, "calls"), whole(buckets, buckets.size() - 1, "count"));
                for (Map<String, Object> bucket : buckets.subList(0, buckets.size() - 1)) {
                    double le = ((Number) bucket.get("le")).doubleValue();
                    assertEquals(m.bucket(family, le, labels), whole(bucket, "count"), family + " le=" + le);
                }
            }

            assertEquals((long) m.counter("metrics_agent_transformation_errors_total"),
                    whole(status, "errors", "transformation"));
            Map<String, Object> internal = at(status, "errors", "internal");
            assertEquals(List.of("advice", "gauge", "host_sampler", "jvm_metrics"), new ArrayList<>(internal.keySet()));
            for (String component : internal.keySet()) {
                assertEquals((long) m.counter("metrics_agent_internal_errors_total", "component=" + component),
                        whole(internal, component), component);
            }
            assertEquals("serving metrics on http://127.0.0.1:" + port + "/metrics",
                    at(status, "recent_lines", 0, "message"));
            assertTrue(((Number) at(status, "uptime_seconds")).doubleValue() > 0);

            assertEquals(404, get(port, "/nothing", null).statusCode());
            // Self-contained: nothing fetched from elsewhere, and small.
            HttpResponse<String> page = get(port, "/", null);
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertTrue(page.body().getBytes(StandardCharsets.UTF_8).length < 100_000, page.body());
            for (String external : new String[] {"src=", "url(", "@import", "stylesheet"}) {
                assertTrue(!page.body().contains(external), external);
            }
        }
    }

    private static Map<String, Object> rule(String rule, String kind, String metric, List<String> methods, Integer calls) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("rule", rule);
        expected.put("kind", kind);
        expected.put("metric", metric);
        expected.put("methods", methods);
        expected.put("calls", calls);
        return expected;
    }

    private static String labelText(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String[] concat(String[] labels, String more) {
        String[] all = Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = more;
        return all;
    }

    @Test
    void basicAuthAsksForCredentialsOnThePageAndItsJson(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "s3cret");
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, "metrics:\n" + ReloadIT.ROUTES_BY_HANDLER);
        try (JvmProcess app = RuleSelectionIT.legacyApp(Jdks.current(), config, "auth_user=ops",
                "auth_password_file=" + password)) {
            int port = app.metricsPort();
            String credentials = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
            for (String path : new String[] {"/", "/-/status"}) {
                HttpResponse<String> refused = get(port, path, null);
                assertEquals(401, refused.statusCode(), path);
                assertEquals("Basic realm=\"metrics-agent\", charset=\"UTF-8\"",
                        refused.headers().firstValue("WWW-Authenticate").orElse(null), path);
                assertEquals(401, get(port, path, "Basic " + Base64.getEncoder().encodeToString(
                        "ops:wrong".getBytes(StandardCharsets.UTF_8))).statusCode(), path);
                assertEquals(200, get(port, path, credentials).statusCode(), path);
            }
            HttpResponse<String> json = get(port, "/-/status", credentials);
            // The secret's source shows as set, never the password.
            assertTrue(json.body().contains("\"auth_user\":\"ops\""), json.body());
            assertTrue(json.body().contains("\"auth_password_file\":\"set\""), json.body());
            assertTrue(!json.body().contains("s3cret") && !get(port, "/", credentials).body().contains("s3cret"));
        }
    }

    @Test
    void thePageInAHeadlessBrowserShowsWhatMetricsSaysAReloadAndTheLiveCharts(@TempDir Path dir) throws Exception {
        Path chromium = MonitoringTools.onPath("chromium");
        Path chromedriver = MonitoringTools.onPath("chromedriver");
        Assumptions.assumeTrue(chromium != null && chromedriver != null, "chromium or chromedriver is not on the PATH"
                + " (Debian's chromium and chromium-driver; .ci/run installs them); the browser test is skipped");
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, "metrics:\n" + GATEWAYS + ReloadIT.ROUTES_BY_HANDLER + ReloadIT.COMMANDS);
        try (JvmProcess app = RuleSelectionIT.legacyApp(Jdks.current(), config)) {
            int port = app.metricsPort();
            RuleSelectionIT.run(app, "charge card 5 50");
            RuleSelectionIT.run(app, "charge card 2 1500");
            RuleSelectionIT.run(app, "account 2");
            WebDriver browser = browser(chromium, chromedriver);
            try {
                browser.get("http://127.0.0.1:" + port + "/");
                Exposition m = Exposition.scrape(port);
                assertEquals(String.valueOf((long) m.counter("gateway_charges_total")),
                        cell(browser, "#rules tr[data-rule='rules.yml:2'] .calls"));
                assertEquals("2", cell(browser, "#rules tr[data-rule='rules.yml:2'] .methods"));
                assertEquals("2", cell(browser, "#rules tr[data-rule='rules.yml:7'] .methods"));
                for (String family : List.of("gateway_charges_total", "gateway_charges_duration_seconds",
                        "legacy_commands_done", "route_calls_total", "route_calls_duration_seconds")) {
                    assertEquals(String.valueOf(m.family(family).getMetricCount()),
                            cell(browser, "#families tr[data-family='" + family + "'] .series"), family);
                }
                String gateway = "#timings tr[data-key='gateway_charges_duration_seconds{gateway=\"CardGateway\"}']";
                assertEquals(String.valueOf(m.histogramCount("gateway_charges_duration_seconds")),
                        browser.findElement(By.cssSelector(gateway)).findElements(By.tagName("td")).get(1).getText());
                assertEquals("none since the start", rowValue(browser, "config", "last reload"));

                // A rule added: its reload's result, and what it wove, on the page read again.
                Files.writeString(config,
                        "metrics:\n" + GATEWAYS + ReloadIT.ROUTES_BY_HANDLER + ENDPOINTS + ReloadIT.COMMANDS);
                app.awaitStderr("^\\[metrics-agent] config=.* reloaded: rules and gauges 1 added, 0 removed; .*$");
                browser.navigate().refresh();
                String reload = rowValue(browser, "config", "last reload");
                assertTrue(reload.matches("\\d{4}-.*Z: success, rules and gauges 1 added, 0 removed; \\d+ loaded"
                        + " classes retransformed"), reload);
                assertEquals("1 succeeded, 0 failed", rowValue(browser, "config", "reloads"));
                // place and cancel of OrderEndpoint, loaded before the reload; health excluded.
                assertEquals("2", cell(browser, "#rules tr[data-rule='rules.yml:10'] .methods"));
                assertEquals(2, (long) Exposition.scrape(port).gauge("metrics_agent_rule_methods", "rule=rules.yml:10"));

                // Calls while the script reads: a chart has a line once it has two intervals. README's
                // screenshot waits for more of them.
                String screenshot = System.getProperty("status.screenshot");
                int intervals = screenshot == null ? 2 : 8;
                for (int i = 1; !chartsDrawn(browser, gateway, intervals); i++) {
                    assertTrue(i < 30 * intervals, "no chart of " + intervals + " intervals drawn within "
                            + 15 * intervals + " s: " + browser.findElement(By.id("timings")).getText());
                    RuleSelectionIT.run(app, "charge card " + (1 + i % 7) * 3 + " 50");
                    RuleSelectionIT.run(app, "charge card " + i % 3 + " 1500");
                    RuleSelectionIT.run(app, "account 1");
                    RuleSelectionIT.run(app, "order 2");
                    Thread.sleep(500);
                }
                List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
                assertEquals(List.of(), console.stream().map(LogEntry::toString).collect(Collectors.toList()));
                Path png = Paths.get(screenshot == null ? "target/status-page.png" : screenshot);
                Files.createDirectories(png.toAbsolutePath().getParent());
                Files.write(png, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }

    /** Whether the method's three charts each have a line of at least {@code intervals} points. */
    private static boolean chartsDrawn(WebDriver browser, String row, int intervals) {
        List<WebElement> charts = browser.findElements(By.cssSelector(row + " svg.chart"));
        return charts.size() == 3 && charts.stream().allMatch(chart -> Integer.parseInt(chart.getDomAttribute("data-points")) >= intervals
                && chart.findElements(By.tagName("polyline")).stream()
                        .anyMatch(line -> line.getDomAttribute("points").split(" ").length >= 2));
    }

    private static String cell(WebDriver browser, String selector) {
        return browser.findElement(By.cssSelector(selector)).getText();
    }

    /** The value of a two-column table's row named {@code name}. */
    private static String rowValue(WebDriver browser, String table, String name) {
        for (WebElement row : browser.findElements(By.cssSelector("#" + table + " tr"))) {
            if (row.findElement(By.tagName("th")).getText().equals(name)) {
                return row.findElement(By.tagName("td")).getText();
            }
        }
        throw new AssertionError("no row '" + name + "' in #" + table);
    }

    private static WebDriver browser(Path chromium, Path chromedriver) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: a build may run as root, where chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1500");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
