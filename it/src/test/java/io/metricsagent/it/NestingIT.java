package io.metricsagent.it;

import static io.metricsagent.it.RuleSelectionIT.legacyApp;
import static io.metricsagent.it.RuleSelectionIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * One logical call counts once through every layer: a servlet-like chain of three overrides, each
 * calling {@code super.service} ({@code it/legacy-app}'s {@code AppService} over {@code HttpService}
 * over {@code BaseService}), metered by one rule on the type; the same chain counted per level by
 * a rule with {@code nesting: all}; calls in flight; and what each rule and configured gauge has
 * woven, a mistyped one nothing.
 */
class NestingIT {

    static final String RULES = ""
            + "metrics:\n"
            + "  - extends: io.metricsagent.legacy.web.BaseService\n"
            + "    method: service\n"
            + "    name: web_requests\n"
            + "    labels: {servlet: $class}\n"
            + "    in_flight: true\n"
            + "  - extends: io.metricsagent.legacy.web.BaseService\n"
            + "    method: service\n"
            + "    name: web_levels\n"
            + "    labels: {servlet: $class}\n"
            + "    nesting: all\n"
            + "  - class: io.metricsagent.legacy.web.NoSuchService\n"
            + "    name: typo_requests\n"
            + "gauges:\n"
            + "  - class: io.metricsagent.legacy.Commands\n"
            + "    method: count\n"
            + "    name: legacy_commands_done\n"
            + "  - class: io.metricsagent.legacy.Commands\n"
            + "    method: cuont\n"
            + "    name: legacy_commands_typo\n";

    @OnEveryJdk
    void aRequestThroughThreeOverridesCountsOnceWithTheOutermostLevelsLabels(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, RULES);
        try (JvmProcess app = legacyApp(java, config)) {
            int port = app.metricsPort();
            run(app, "serve 5 hello");
            run(app, "serve 2 fail");
            // Thrown at the bottom, caught in the middle: the outer call succeeds, and the next one
            // counts once again (the bookkeeping stayed balanced).
            run(app, "serve 3 fail-recover");
            run(app, "serve 1 again");
            Exposition m = Exposition.scrape(port);

            assertEquals(11, m.counter("web_requests_total"));
            assertEquals(9, m.counter("web_requests_total", "servlet=AppService", "outcome=success", "exception=none"));
            assertEquals(2, m.counter("web_requests_total", "servlet=AppService", "outcome=failure",
                    "exception=IllegalStateException"));
            assertEquals(11, m.histogramCount("web_requests_duration_seconds", "servlet=AppService"));
            assertEquals(0, m.gauge("web_requests_in_flight", "servlet=AppService"));
            assertEquals(List.of("AppService"), servlets(m, "web_requests_in_flight"));

            // Every level, as before nesting existed: the failures fail all three levels, the
            // recovered requests fail at the bottom only.
            Expected.assertSamples(m, "every level on " + jdk, """
                    web_levels_total{servlet} != 0
                    AppService   11
                    HttpService  11
                    BaseService  11

                    web_levels_total{servlet=AppService, outcome=failure}
                    2

                    web_levels_total{servlet=HttpService, outcome=failure}
                    2

                    web_levels_total{servlet=BaseService, outcome=failure, exception=IllegalStateException}
                    5
                    """);

            // 200 requests at once, on virtual threads where the JVM has them (Temurin 25), each
            // blocking at the bottom of the chain, so that it moves between carrier threads.
            run(app, "serve-threads 200 sleep");
            run(app, "serve 1 again");
            m = Exposition.scrape(port);
            assertEquals(212, m.counter("web_requests_total", "servlet=AppService"));
            assertEquals(212, m.counter("web_requests_total"));
            assertEquals(0, m.gauge("web_requests_in_flight"));
            assertEquals(3 * 212, m.counter("web_levels_total"));

            Expected.assertSamples(m, "woven on " + jdk, """
                    metrics_agent_rule_methods{rule}
                    rules.yml:2   3
                    rules.yml:7   3
                    rules.yml:12  0
                    rules.yml:15  1
                    rules.yml:18  0
                    """);
        }
    }

    private static List<String> servlets(Exposition m, String name) {
        return m.series(name).stream().map(s -> Exposition.labels(s).get("servlet")).sorted()
                .collect(Collectors.toList());
    }
}
