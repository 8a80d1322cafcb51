package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application server's life: the churn plugin ({@code it/plugin-app}, fifty metered methods and
 * five gauges, three of them read from instances) deployed 1,000 times, each deployment in a
 * child-first loader of its own and undeployed before the next. After 10 deployments and after
 * 1,000, once the host has collected the loaders of the undeployed ones: every such loader is
 * gone, the bridge holds the live deployment's recorders alone in as much room as after 10, the
 * agent holds as many of its objects and the heap has grown by no more than {@value #HEAP_MARGIN}
 * bytes; the counts are exact: a method's series counts every call of every deployment, the
 * gauges read the live deployment alone.
 */
class RedeployChurnIT {

    static final int DEPLOYMENTS = 1_000;
    static final int EARLY = 10;
    static final long HEAP_MARGIN = 64 * 1024;
    private static final String RECORDER = "io.metricsagent.agent.metrics.MethodRecorder";
    private static final String LOADER = "io.metricsagent.it.plugin.PluginHost$ChildFirstLoader";
    private static final String INSTANCE_SOURCE = "io.metricsagent.agent.metrics.GaugeSources$InstanceSource";

    @OnEveryJdk
    void aThousandRedeploymentsLeaveNothingBehindAndCountExactly(String jdk, Path java, @TempDir Path dir)
            throws Exception {
        Path plugin = Artifacts.pluginDir();
        try (JvmProcess host = AgentJvm.on(java)
                .main(Artifacts.classPath(plugin, "plugin-app"), "io.metricsagent.it.plugin.ChurnHost")
                .args(plugin.resolve("plugin-app-" + System.getProperty("project.version") + "-churn.jar").toString(),
                        String.valueOf(DEPLOYMENTS), EARLY + "," + DEPLOYMENTS, dir.toString())
                .agent("port=0", "host=127.0.0.1").start()) {
            host.awaitStdout("^deployment " + EARLY + " alive ");
            int port = host.metricsPort();
            // The host sampler sets OSHI up a second after start: its classes are not the churn's.
            Exposition.await(port, m -> m.has("memory_usage_bytes"));
            Exposition early = Exposition.scrape(port);
            ClassHistogram earlyHeap = ClassHistogram.of(java, host);
            Files.createFile(dir.resolve("continue-" + EARLY));
            host.awaitStdout("^deployment " + DEPLOYMENTS + " alive ");
            Exposition late = Exposition.scrape(port);
            ClassHistogram lateHeap = ClassHistogram.of(java, host);

            String line = "deployment %d calls=250 failed=50 shelves=2";
            assertEquals(String.format(line, EARLY), host.stdout().get(0), host::describe);
            assertEquals("deployment " + EARLY + " alive 1", host.stdout().get(1), "an undeployed loader is held");
            assertEquals(String.format(line, DEPLOYMENTS), host.stdout().get(2), host::describe);
            assertEquals("deployment " + DEPLOYMENTS + " alive 1", host.stdout().get(3), "an undeployed loader is held");
            assertCounts(early, EARLY);
            assertCounts(late, DEPLOYMENTS);

            for (String table : new String[] {"recorders", "gauge_trackers"}) {
                assertEquals(early.gauge("metrics_agent_bridge_slots", "table=" + table, "state=used"),
                        late.gauge("metrics_agent_bridge_slots", "table=" + table, "state=used"), table);
            }
            assertEquals(50, late.gauge("metrics_agent_bridge_slots", "table=recorders", "state=used"));
            assertEquals(1, late.gauge("metrics_agent_bridge_slots", "table=gauge_trackers", "state=used"));
            assertEquals(early.gauge("metrics_agent_bridge_slots", "table=recorders"),
                    late.gauge("metrics_agent_bridge_slots", "table=recorders"),
                    "the recorders' table holds more room after 1,000 deployments than after 10");
            for (ClassHistogram heap : new ClassHistogram[] {earlyHeap, lateHeap}) {
                assertEquals(50, heap.instances(RECORDER), "recorders held");
                assertEquals(1, heap.instances(INSTANCE_SOURCE), "instance gauge sources held");
                assertEquals(1, heap.instances(LOADER), "plugin loaders held");
            }
            System.out.printf("%s: live heap after %d deployments %d bytes, after %d %d (%+d)%n", jdk, EARLY,
                    earlyHeap.bytes, DEPLOYMENTS, lateHeap.bytes, lateHeap.bytes - earlyHeap.bytes);
            assertTrue(lateHeap.bytes - earlyHeap.bytes <= HEAP_MARGIN, () -> "the live heap grew from "
                    + earlyHeap.bytes + " to " + lateHeap.bytes + " bytes:" + lateHeap.growthSince(earlyHeap));
        }
    }

    /** After {@code deployments} deployments, each calling each of 50 operations 5 times, the fifth throwing. */
    private static void assertCounts(Exposition m, int deployments) {
        for (int op = 0; op < 50; op++) {
            String label = String.format("op=%02d", op);
            assertEquals(4.0 * deployments, m.counter("churn_op_total", label, "outcome=success"), label);
            assertEquals(deployments, m.counter("churn_op_total", label, "outcome=failure",
                    "exception=IllegalStateException"), label);
            assertEquals(5L * deployments, m.histogramCount("churn_op_duration_seconds", label), label);
        }
        assertEquals(deployments, m.gauge("churn_deployment"), "a static gauge read an undeployed class");
        assertEquals(250, m.gauge("churn_calls"));
        assertEquals(7, m.gauge("churn_shelf_items"), "an instance gauge read an undeployed instance");
        assertEquals(14, m.gauge("churn_shelf_capacity"));
        assertEquals(2.0 * deployments, m.gauge("churn_shelf_deployment"));
        assertEquals(50, m.gauge("metrics_agent_instrumented_methods"));
        assertEquals(0, m.counter("metrics_agent_transformation_errors_total"));
        assertEquals(0, m.counter("metrics_agent_internal_errors_total"));
    }
}
