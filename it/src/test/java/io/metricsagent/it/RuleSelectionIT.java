package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Methods chosen by what the configuration says of their classes rather than by their names: every
 * implementation of an interface, however indirect and however late it loads, less one left out by
 * name; the methods of classes that carry an annotation, and methods that carry one, as a web
 * framework's handlers would. The application ({@code it/legacy-app}) has no dependency on the agent.
 */
class RuleSelectionIT {

    static final String RULES = ""
            + "metrics:\n"
            + "  - extends: io.metricsagent.legacy.Gateway\n"
            + "    method: charge\n"
            + "    exclude:\n"
            + "      - class: io.metricsagent.legacy.Sandbox*\n"
            + "    name: gateway_charges\n"
            + "    labels:\n"
            + "      gateway: $class\n"
            + "      status: return.status\n"
            + "    failed_when: {value: return.status, equals: DECLINED}\n"
            + "  - annotated: io.metricsagent.legacy.Endpoint\n"
            + "    exclude: [{method: health}]\n"
            + "    name: endpoint_calls\n"
            + "    labels: {handler: $method}\n"
            + "  - annotated: io.metricsagent.legacy.Route\n"
            + "    name: route_calls\n"
            + "    labels: {handler: $method}\n";

    static JvmProcess legacyApp(Path java, Path config, String... agentOptions) throws Exception {
        JvmProcess app = AgentJvm.on(java)
                .agent("config=" + config, "port=0", "host=127.0.0.1", "host_metrics=false").agent(agentOptions)
                .main(Artifacts.legacyJar().toString(), "io.metricsagent.legacy.LegacyMain").start();
        app.awaitStdout("^ready$");
        return app;
    }

    /**
     * Runs one command of the legacy app and waits until it is done: until one more line says so
     * than before, as the same command may have run earlier (ReloadIT's "account 1" does).
     */
    static void run(JvmProcess app, String command) throws Exception {
        String done = "done " + command;
        long before = app.stdout().stream().filter(done::equals).count();
        app.send(command);
        long deadline = System.nanoTime() + JvmProcess.TIMEOUT.toNanos();
        while (app.stdout().stream().filter(done::equals).count() == before) {
            if (System.nanoTime() > deadline) {
                fail("no further '" + done + "' within " + JvmProcess.TIMEOUT + ": " + app.describe());
            }
            Thread.sleep(10);
        }
    }

    @OnEveryJdk
    void implementationsAnnotatedClassesAndMethodsAreMeteredExactly(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("rules.yml");
        Files.writeString(config, RULES);
        try (JvmProcess app = legacyApp(java, config)) {
            int port = app.metricsPort();
            run(app, "charge card 5 50");
            run(app, "charge card 2 1500");
            run(app, "charge sandbox 3 10");
            Exposition before = Exposition.scrape(port);
            assertEquals(7, before.counter("gateway_charges_total"));
            // charge in CardGateway; place, cancel; open, close: WalletGateway is not loaded yet.
            assertEquals(5, before.gauge("metrics_agent_instrumented_methods"));
            run(app, "charge wallet 4 100");
            run(app, "charge wallet 1 300");
            run(app, "order 3");
            run(app, "account 2");
            Exposition m = Exposition.scrape(port);

            Expected.assertSamples(m, "selected on " + jdk, """
                    # CardGateway implements Gateway through AbstractGateway; WalletGateway loaded after the
                    # agent started; SandboxGateway excluded.
                    gateway_charges_total{gateway, status} != 0
                    CardGateway    APPROVED  5
                    CardGateway    DECLINED  2
                    WalletGateway  APPROVED  4
                    WalletGateway  DECLINED  1

                    gateway_charges_total{gateway=CardGateway, status=APPROVED, outcome=success}
                    5

                    gateway_charges_total{gateway=CardGateway, status=DECLINED, outcome=failure, exception=DECLINED}
                    2

                    gateway_charges_duration_seconds_count
                    12

                    # @Endpoint on the class: its methods but health (excluded) and the constructor.
                    endpoint_calls_total{handler, outcome, exception} != 0
                    place   success  none                      3
                    cancel  failure  IllegalArgumentException  1

                    # @Route on two methods; their helper carries none.
                    route_calls_total{handler} != 0
                    open   2
                    close  2
                    """);
            // charge in CardGateway and WalletGateway; place, cancel; open, close.
            assertEquals(6, m.gauge("metrics_agent_instrumented_methods"));
            assertEquals(List.of("[metrics-agent] serving metrics on http://127.0.0.1:" + port + "/metrics"),
                    FaultsIT.agentLines(app));
        }
    }
}
