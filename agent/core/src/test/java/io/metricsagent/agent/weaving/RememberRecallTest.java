package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.Stderr;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remember:} on a prepare and {@code recall} in a later call's label, woven: the text kept
 * for the very object, on its thread, among the latest 16; nothing kept when the prepare throws;
 * nothing allocated per call.
 */
class RememberRecallTest {

    private static final String RULES = ""
            + "metrics:\n"
            + "  - class: " + SqlDesk.class.getName() + "\n"
            + "    method: prepare\n"
            + "    remember: {name: sql_operation, object: return, value: 'args[0]', extract: sql_keyword,"
            + " map: [SELECT, INSERT], other: other}\n"
            + "  - class: " + SqlDesk.class.getName() + "\n"
            + "    method: run\n"
            + "    histogram: test_statement_seconds\n"
            + "    buckets: [60]\n"
            + "    labels:\n"
            + "      op: {first_of: ['args[1]', 'recall(args[0], sql_operation)'], extract: sql_keyword,"
            + " map: [SELECT, INSERT, DELETE], missing: unknown}\n"
            + "      again: recall(args[0], sql_operation)\n";

    @RegisterExtension
    final Stderr stderr = new Stderr();

    @TempDir
    Path dir;

    private final Weaving weaving = WeavingSupport.newWeaving();

    private SqlDeskCalls woven() throws IOException, ReflectiveOperationException {
        return (SqlDeskCalls) WeavingSupport.configuredInstance(weaving, dir, RULES, SqlDesk.class.getName());
    }

    @Test
    void aPreparedObjectsRunReadsWhatItsPrepareKept() throws Exception {
        SqlDeskCalls desk = woven();
        Object select = desk.prepare("  select * from t", new Object());
        Object insert = desk.prepare("INSERT into t values (1)", new Object());
        Object merge = desk.prepare("merge into t", new Object());
        desk.run(select, null);
        desk.run(insert, null);
        desk.run(insert, "delete from t");                 // its own SQL first
        desk.run(merge, null);                             // kept as its map's other
        desk.run(new Object(), null);                      // never prepared
        assertThrows(IllegalStateException.class, () -> desk.prepare("fail", new Object()));
        Object elsewhere = desk.prepare("select 1", new Object());
        Thread other = new Thread(() -> desk.run(elsewhere, null));
        other.start();
        other.join();
        Object old = desk.prepare("insert into t", new Object());
        for (int i = 0; i < 15; i++) {
            desk.prepare("select 1", new Object());
        }
        desk.run(old, null);                               // still among the latest 16
        desk.prepare("select 1", new Object());
        desk.run(old, null);                               // now 17 prepares ago

        assertEquals("", stderr.text());
        assertEquals(""
                + "test_statement_seconds_count{again=\"INSERT\",op=\"DELETE\"} 1\n"
                + "test_statement_seconds_count{again=\"INSERT\",op=\"INSERT\"} 2\n"
                + "test_statement_seconds_count{again=\"SELECT\",op=\"SELECT\"} 1\n"
                + "test_statement_seconds_count{again=\"other\",op=\"other\"} 1\n"
                + "test_statement_seconds_count{again=\"unknown\",op=\"unknown\"} 3",
                scrapeLines(weaving, "test_statement_seconds_count"));
    }

    @Test
    void keepingAndRecallingAllocateNothing() throws Exception {
        SqlDeskCalls desk = woven();
        Object[] statements = {new Object(), new Object(), new Object()};
        String[] sql = {"select 1", "insert into t", "update t"};
        for (int i = 0; i < 1000; i++) {
            desk.run(desk.prepare(sql[i % 3], statements[i % 3]), null);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            desk.run(desk.prepare(sql[i % 3], statements[i % 3]), null);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated by 10,000 prepares and runs");
        assertEquals(""
                + "test_statement_seconds_count{again=\"INSERT\",op=\"INSERT\"} 3666\n"
                + "test_statement_seconds_count{again=\"SELECT\",op=\"SELECT\"} 3668\n"
                + "test_statement_seconds_count{again=\"other\",op=\"other\"} 3666",
                scrapeLines(weaving, "test_statement_seconds_count"));
    }
}
