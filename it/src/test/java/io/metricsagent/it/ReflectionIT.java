package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class the agent retransforms keeps everything reflection reads from it: parameter names,
 * annotations on the class, its members and parameters, generic signatures, its record
 * components, nest and permitted subclasses. The application ({@code it/reflection-app}, compiled
 * with -parameters) prints what reflection sees of its classes before an attach, after the attach
 * wove them (and passed over one it retransformed, declined), and after a reload wove them again;
 * on OpenJDK 17 the class file the JVM rebuilds for a retransformation has no parameter names.
 * A rule on an annotation the class file keeps only (RetentionPolicy.CLASS) weaves its method at
 * the attach too.
 */
class ReflectionIT {

    private static final String RULES = ""
            + "metrics:\n"
            + "  - annotated: io.metricsagent.reflection.Listed\n"
            + "    name: catalog_calls\n"
            + "    labels: {call: $method}\n"
            + "  - annotated: io.metricsagent.reflection.Audited\n"
            + "    name: ledger_records\n";

    @OnEveryJdk
    void reflectionSeesTheSameClassesBeforeAndAfterTheAttachAndAReload(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, RULES);
        try (JvmProcess app = AgentJvm.on(java).flags("-XX:+EnableDynamicAgentLoading")
                .main(Artifacts.reflectionJar().toString(), "io.metricsagent.reflection.ReflectionMain").start()) {
            app.awaitStdout("^ready$");
            List<String> before = describe(app);
            assertEquals(100, before.size(), app::describe);
            assertTrue(before.stream().anyMatch(l -> l.startsWith("io.metricsagent.reflection.Catalog method public <S extends T>")
                    && l.contains(" S item [@io.metricsagent.reflection.Listed(") && l.contains(" int copies [] ")),
                    () -> String.join("\n", before));

            // Catalog and its record Entry are woven; Cursor, which names the annotation on a
            // field only, is retransformed and declined; Ledger is woven for its CLASS annotation.
            Command attach = Command.run(java, "attach", String.valueOf(app.pid()),
                    "config=" + config + ",port=0,host=127.0.0.1,host_metrics=false");
            assertEquals(0, attach.exit, attach::describe);
            assertTrue(attach.stdout.get(0).contains(" attached to " + app.pid() + ": 4 loaded classes woven;"),
                    attach::describe);
            assertEquals(before, describe(app), "after the attach");
            int port = app.metricsPort();
            run(app, "use 2");
            Exposition m = Exposition.scrape(port);
            Expected.assertSamples(m, "after the attach on " + jdk, """
                    catalog_calls_total{call}
                    add    2
                    first  1
                    name   1
                    size   1

                    ledger_records_total
                    1
                    """);

            // Changed: a rule removed and one added, which weave Catalog and Entry again.
            Path next = dir.resolve("rules.yml.next");
            Files.writeString(next, RULES.replace("{call: $method}", "{method: $method}"));
            Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            app.awaitStderr("^\\[metrics-agent] config=.* reloaded: rules and gauges 1 added, 1 removed;"
                    + " 3 loaded classes retransformed$");
            assertEquals(before, describe(app), "after the reload");
            run(app, "use 1");
            m = Exposition.scrape(port);
            Expected.assertSamples(m, "after the reload on " + jdk, """
                    catalog_calls_total{method}
                    add    1
                    first  1
                    name   1
                    size   1

                    ledger_records_total
                    2

                    metrics_agent_transformation_errors_total
                    0
                    """);
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app).stream().filter(l -> !l.contains(" reloaded: ")).collect(Collectors.toList()));
        }
    }

    /** What the application printed for one {@code describe}, without the prefix. */
    private static List<String> describe(JvmProcess app) throws Exception {
        int from = app.stdout().size();
        run(app, "describe");
        List<String> out = app.stdout();
        return out.subList(from, out.size()).stream().filter(l -> l.startsWith("reflect "))
                .map(l -> l.substring("reflect ".length())).collect(Collectors.toList());
    }

    private static void run(JvmProcess app, String command) throws Exception {
        RuleSelectionIT.run(app, command);
    }
}
