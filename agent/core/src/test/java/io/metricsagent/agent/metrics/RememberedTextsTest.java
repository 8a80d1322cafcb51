package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rings behind remember: and recall: per name, per thread, the latest 16, the newest text of an object first. */
class RememberedTextsTest {

    @Test
    void anObjectIsRecalledAmongItsNamesLatestSixteen() {
        int name = RememberedTexts.number("test_ring");
        assertEquals(name, RememberedTexts.number("test_ring"));
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < RememberedTexts.DEPTH + 1; i++) {
            objects.add(new Object());
            RememberedTexts.remember(name, objects.get(i), i % 2 == 0 ? "SELECT" : "INSERT");
        }
        assertNull(RememberedTexts.recall(name, objects.get(0)), "17 texts ago");
        assertEquals("INSERT", RememberedTexts.recall(name, objects.get(1)));
        assertEquals("SELECT", RememberedTexts.recall(name, objects.get(RememberedTexts.DEPTH)));
        assertNull(RememberedTexts.recall(name, new Object()));
        RememberedTexts.remember(name, objects.get(1), "UPDATE");
        assertEquals("UPDATE", RememberedTexts.recall(name, objects.get(1)), "the newest text of an object");
    }

    @Test
    void namesAndThreadsKeepTheirOwn() throws InterruptedException {
        int first = RememberedTexts.number("test_first");
        Object statement = new Object();
        RememberedTexts.remember(first, statement, "SELECT");
        // A name woven after this thread's rings were made grows them, keeping what they hold.
        int later = RememberedTexts.number("test_later_" + System.nanoTime());
        assertNull(RememberedTexts.recall(later, statement));
        RememberedTexts.remember(later, statement, "CALL");
        assertEquals("CALL", RememberedTexts.recall(later, statement));
        assertEquals("SELECT", RememberedTexts.recall(first, statement));
        String[] elsewhere = new String[1];
        Thread other = new Thread(() -> elsewhere[0] = RememberedTexts.recall(first, statement));
        other.start();
        other.join();
        assertNull(elsewhere[0]);
    }
}
