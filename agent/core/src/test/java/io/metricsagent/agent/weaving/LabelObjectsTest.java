package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.weaving.Exchanges.Exchange;
import io.metricsagent.agent.weaving.Exchanges.Verb;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Label objects woven into a method: each form's series, first_of's dropped entries, and nothing allocated per call. */
class LabelObjectsTest {

    private static final String RULE = ""
            + "metrics:\n"
            + "  - class: " + Exchanges.class.getName() + "\n"
            + "    method: handle\n"
            + "    histogram: test_exchange_seconds\n"
            + "    buckets: [60]\n";

    @RegisterExtension
    final Stderr stderr = new Stderr();

    @TempDir
    Path dir;

    private final Weaving weaving = WeavingSupport.newWeaving();

    private ExchangeHandler woven(String yaml) throws IOException, ReflectiveOperationException {
        return (ExchangeHandler) WeavingSupport.configuredInstance(weaving, dir, yaml, Exchanges.class.getName());
    }

    @Test
    void eachFormKeysTheSeriesByItsText() throws Exception {
        ExchangeHandler handler = woven(RULE
                + "    in_flight: {name: test_exchanges_active, labels: [verb]}\n"
                + "    labels:\n"
                + "      verb: {value: 'args[0].verb', map: [get, POST], other: _OTHER}\n"
                + "      status: {value: 'args[0].status', thrown: '500'}\n"
                + "      route: {first_of: ['args[0].pattern', 'args[0].route', 'args[3]'], missing: ''}\n"
                + "      op: {value: 'args[0].sql', extract: sql_keyword, map: [SELECT, INSERT], missing: none}\n"
                + "      error_type: {exception: class_name, none: '', unwrap: [" + Exchanges.Wrapped.class.getName()
                + "]}\n");
        String[] inFlight = new String[1];
        handler.handle(new Exchange(Verb.GET, "/a", "select 1", 200, null) {
            @Override
            public void fail() {
                inFlight[0] = scrapeLines(weaving, "test_exchanges_active{");
            }
        });
        assertEquals("test_exchanges_active{verb=\"get\"} 1.0", inFlight[0]);
        handler.handle(new Exchange(Verb.GET, "/a", " -- first\n  /* then */ (SELECT 1)", 200, null));
        handler.handle(new Exchange(Verb.BREW, null, "{call tea()}", 404, null));
        Exchange inserted = new Exchange(Verb.POST, "/b", "insert into t", 201, null);
        handler.handle(inserted);
        assertEquals(1, inserted.statusReads());
        RuntimeException wrapped = new Exchanges.Wrapped(new Exchanges.Wrapped(new IllegalStateException("inner")));
        Exchange failing = new Exchange(Verb.POST, "/b", null, 0, wrapped);
        assertThrows(Exchanges.Wrapped.class, () -> handler.handle(failing));
        assertEquals(0, failing.statusReads());
        RuntimeException causeless = new Exchanges.Wrapped(null);
        assertThrows(Exchanges.Wrapped.class, () -> handler.handle(new Exchange(Verb.GET, "/c", "select", 0, causeless)));
        RuntimeException anonymous = new IllegalArgumentException() { };
        assertThrows(IllegalArgumentException.class, () -> handler.handle(new Exchange(Verb.POST, "/b", "", 0, anonymous)));

        assertEquals("", stderr.text());
        String self = getClass().getName();
        assertEquals(""
                + "test_exchange_seconds_count{error_type=\"\",op=\"INSERT\",route=\"/b\",status=\"201\",verb=\"POST\"} 1\n"
                + "test_exchange_seconds_count{error_type=\"\",op=\"SELECT\",route=\"/a\",status=\"200\",verb=\"get\"} 2\n"
                + "test_exchange_seconds_count{error_type=\"\",op=\"SELECT\",route=\"/c\",status=\"500\",verb=\"get\"} 0\n"
                + "test_exchange_seconds_count{error_type=\"\",op=\"none\",route=\"/b\",status=\"500\",verb=\"POST\"} 0\n"
                + "test_exchange_seconds_count{error_type=\"\",op=\"other\",route=\"\",status=\"404\",verb=\"_OTHER\"} 1\n"
                + "test_exchange_seconds_count{error_type=\"\",op=\"other\",route=\"/b\",status=\"500\",verb=\"POST\"} 0\n"
                + "test_exchange_seconds_count{error_type=\"" + Exchanges.Wrapped.class.getName() + "\",op=\"SELECT\","
                + "route=\"/c\",status=\"500\",verb=\"get\"} 1\n"
                + "test_exchange_seconds_count{error_type=\"" + self + "$2\",op=\"other\",route=\"/b\",status=\"500\","
                + "verb=\"POST\"} 1\n"
                + "test_exchange_seconds_count{error_type=\"java.lang.IllegalStateException\",op=\"none\",route=\"/b\","
                + "status=\"500\",verb=\"POST\"} 1",
                scrapeLines(weaving, "test_exchange_seconds_count"));
        assertEquals(""
                + "test_exchanges_active{verb=\"POST\"} 0.0\n"
                + "test_exchanges_active{verb=\"_OTHER\"} 0.0\n"
                + "test_exchanges_active{verb=\"get\"} 0.0",
                scrapeLines(weaving, "test_exchanges_active{"));
    }

    @Test
    void aNamedRulesInFlightGaugeCarriesTheLabelObjectsKnownOnEntry() throws Exception {
        String[] inFlight = new String[1];
        ExchangeHandler handler = woven(""
                + "metrics:\n"
                + "  - class: " + Exchanges.class.getName() + "\n"
                + "    method: handle\n"
                + "    name: test_exchanges\n"
                + "    in_flight: true\n"
                + "    labels:\n"
                + "      verb: {value: 'args[0].verb', map: [GET], other: _OTHER}\n"
                + "      status: {value: 'args[0].status', thrown: '500'}\n");
        handler.handle(new Exchange(Verb.POST, "/a", null, 200, null) {
            @Override
            public void fail() {
                inFlight[0] = scrapeLines(weaving, "test_exchanges_in_flight{");
            }
        });
        assertEquals("test_exchanges_in_flight{verb=\"_OTHER\"} 1.0", inFlight[0]);
        assertEquals("test_exchanges_total{exception=\"none\",outcome=\"success\",status=\"200\",verb=\"_OTHER\"} 1.0",
                scrapeLines(weaving, "test_exchanges_total{"));
    }

    @Test
    void aLabelReadOnEntryKeepsTheValueTheCallStartedWith() throws Exception {
        ExchangeHandler handler = woven(RULE
                + "    labels:\n"
                + "      started: {value: 'args[0].status', read: entry}\n"
                + "      ended: 'args[0].status'\n");
        Exchange failing = new Exchange(Verb.GET, "/a", null, 404, new IllegalStateException());
        // fail() answers 200 before it throws: read on entry, the status is still 404.
        assertThrows(IllegalStateException.class, () -> handler.handle(failing));
        assertEquals(2, failing.statusReads());
        handler.handle(new Exchange(Verb.GET, "/a", null, 201, null));

        assertEquals("", stderr.text());
        assertEquals(""
                + "test_exchange_seconds_count{ended=\"200\",started=\"404\"} 1\n"
                + "test_exchange_seconds_count{ended=\"201\",started=\"201\"} 1",
                scrapeLines(weaving, "test_exchange_seconds_count"));
    }

    @Test
    void aReturnValueIsNeverReadOnEntry() throws Exception {
        Path file = dir.resolve("labels.yml");
        Files.writeString(file, RULE + "    labels:\n      got: {value: return, read: entry}\n");
        assertEquals("config=" + file + " line 7: label got is read as the call starts, when there is no return value yet",
                AgentOptions.parse("config=" + file).configProblem().split("; ")[0]);
    }

    @Test
    void aDropWhenValueSharedWithAThrownLabelIsStillReadWhenTheCallThrows() throws Exception {
        ExchangeHandler handler = woven(RULE
                + "    drop_when: {value: 'args[0].status', equals: '200'}\n"
                + "    labels:\n"
                + "      status: {value: 'args[0].status', thrown: '500'}\n");
        handler.handle(new Exchange(Verb.GET, "/a", null, 404, null));
        handler.handle(new Exchange(Verb.GET, "/a", null, 200, null));
        // It throws with status 200 set: dropped, as drop_when reads it at exit.
        assertThrows(IllegalStateException.class,
                () -> handler.handle(new Exchange(Verb.GET, "/a", null, 0, new IllegalStateException())));
        assertEquals("test_exchange_seconds_count{status=\"404\"} 1", scrapeLines(weaving, "test_exchange_seconds_count"));
    }

    @Test
    void aFirstOfWithNoEntryTheMethodGivesIsTheUsualLine() throws Exception {
        Path file = dir.resolve("labels.yml");
        Files.writeString(file, RULE + "    labels:\n      route: {first_of: ['args[0].pattern', 'args[0].mapping']}\n");
        weaving.rules.use(AgentOptions.parse("config=" + file).rules());
        String name = Exchanges.class.getName();
        assertNull(ClassWeaver.weave(weaving, getClass().getClassLoader(), name, WeavingSupport.classBytes(name)));
        assertEquals("[metrics-agent] the rule at labels.yml line 2 does not meter " + name + ".handle(): path 'pattern' of argument 0: no visible getter or field 'pattern' on " + name
                + "$Exchange\n", stderr.text());
    }

    @Test
    void whatOnlyTheMethodCanTellIsOneLineWhenItIsWoven() throws Exception {
        StringBuilder labels = new StringBuilder("    labels:\n");
        for (char label = 'a'; label <= 'g'; label++) {
            labels.append("      ").append(label).append(": {value: 'args[0].verb', missing: ").append(label).append("}\n");
        }
        Path file = dir.resolve("labels.yml");
        Files.writeString(file, RULE + labels + "  - class: " + Exchanges.class.getName() + "\n    method: handle\n"
                + "    histogram: test_other_seconds\n    in_flight: {name: 9_active}\n");
        weaving.rules.use(AgentOptions.parse("config=" + file).rules());
        String name = Exchanges.class.getName();
        assertNull(ClassWeaver.weave(weaving, getClass().getClassLoader(), name, WeavingSupport.classBytes(name)));
        assertEquals(""
                + "[metrics-agent] the rule at labels.yml line 2 does not meter " + name + ".handle(): its labels take 7"
                + " keys per call; at most 6 are supported\n"
                + "[metrics-agent] the rule at labels.yml line 14 does not meter " + name + ".handle(): in_flight name"
                + " '9_active' is not a valid metric name ([a-zA-Z][a-zA-Z0-9_]*)\n", stderr.text());
    }

    @Test
    void aCallAllocatesNothingOnceItsSeriesExist() throws Exception {
        ExchangeHandler handler = woven(RULE
                + "    labels:\n"
                + "      status: 'args[0].status'\n"
                + "      verb: {value: 'args[0].verb', map: [GET, POST], other: _OTHER}\n"
                + "      route: {first_of: ['args[0].route'], missing: ''}\n");
        Exchange[] exchanges = {
            new Exchange(Verb.GET, "/a", null, 200, null),
            new Exchange(Verb.POST, "/a", null, 404, null),
            new Exchange(Verb.BREW, null, null, 500, null),
        };
        for (int i = 0; i < 3_000; i++) {
            handler.handle(exchanges[i % 3]);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            handler.handle(exchanges[i % 3]);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated by 10,000 calls");
        assertEquals(""
                + "test_exchange_seconds_count{route=\"\",status=\"500\",verb=\"_OTHER\"} 4333\n"
                + "test_exchange_seconds_count{route=\"/a\",status=\"200\",verb=\"GET\"} 4334\n"
                + "test_exchange_seconds_count{route=\"/a\",status=\"404\",verb=\"POST\"} 4333",
                scrapeLines(weaving, "test_exchange_seconds_count"));
    }
}
