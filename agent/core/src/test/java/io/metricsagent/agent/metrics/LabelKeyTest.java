package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.metricsagent.agent.description.DerivedLabel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A label object's key per call: thrown, missing, first_of, and the vocabulary's comparisons in place. */
class LabelKeyTest {

    private static final List<String> SQL = List.of("SELECT", "INSERT", "WITH", "CALL");

    private static LabelKey mapped(DerivedLabel.Extract extract, String after, String until, List<String> keys,
                                   List<String> texts) {
        return LabelKey.of(DerivedLabel.of(List.of("args[0]"), false, null, "none").reading(new int[] {0}, List.of())
                .mapped(extract, after, until, keys, texts, "_OTHER"));
    }

    private static Object key(LabelKey label, Object value) {
        return label.key(null, value, null, null, null, null, null);
    }

    @Test
    void thrownAndMissingAreTheLabelsOwnTextsAndFirstOfTakesTheFirstValue() {
        LabelKey label = LabelKey.of(DerivedLabel.of(List.of("a", "b"), true, "500", "").reading(new int[] {2, 0}, List.of()));
        assertEquals("500", label.key(new IllegalStateException(), "x", null, "y", null, null, null));
        assertEquals("y", label.key(null, "x", null, "y", null, null, null));
        assertEquals("x", label.key(null, "x", null, null, null, null, null));
        assertEquals("", label.key(null, null, null, null, null, null, null));
        LabelKey unknown = LabelKey.of(DerivedLabel.of(List.of("a"), false, null, null).reading(new int[] {5}, List.of()));
        assertEquals("unknown", unknown.key(new IllegalStateException(), null, null, null, null, null, null));
        assertEquals(7, unknown.key(null, null, null, null, null, null, 7));
    }

    @Test
    void aWholeValueIsComparedIgnoringCaseAndGivesTheTextAsWritten() {
        LabelKey methods = mapped(null, null, null, List.of("GET", "Post"), List.of("GET", "Post"));
        assertEquals("GET", key(methods, "get"));
        assertEquals("Post", key(methods, "POST"));
        assertEquals("_OTHER", key(methods, "GETS"));
        assertEquals("_OTHER", key(methods, ""));
        assertEquals("none", key(methods, null));
        assertEquals("_OTHER", key(methods, TimeUnit.DAYS));
        LabelKey units = mapped(null, null, null, List.of("seconds", "7"), List.of("s", "seven"));
        assertEquals("s", key(units, TimeUnit.SECONDS));
        assertEquals("seven", key(units, 7));
        assertEquals("seven", key(units, 7L));
        assertEquals("_OTHER", key(units, 8));
        assertEquals("seven", key(units, new StringBuilder("7")));
    }

    @Test
    void afterUntilTakesThePartBetweenAndAMissingDelimiter() {
        LabelKey systems = mapped(DerivedLabel.Extract.AFTER_UNTIL, "jdbc:", ":", List.of("h2", "oracle"),
                List.of("h2", "oracle.db"));
        assertEquals("h2", key(systems, "jdbc:h2:mem:orders"));
        assertEquals("oracle.db", key(systems, "jdbc:ORACLE:thin:@db:1521"));
        assertEquals("h2", key(systems, "jdbc:h2"));
        assertEquals("_OTHER", key(systems, "h2:mem"));
        assertEquals("_OTHER", key(systems, "jdbc:h2x:mem"));
        assertEquals("_OTHER", key(systems, "jdbc::h2"));
        assertEquals("_OTHER", key(systems, ""));
        LabelKey start = mapped(DerivedLabel.Extract.AFTER_UNTIL, "", "/", List.of("api"), List.of("api"));
        assertEquals("api", key(start, "api/orders"));
        LabelKey end = mapped(DerivedLabel.Extract.AFTER_UNTIL, "/", "", List.of("orders/1"), List.of("orders"));
        assertEquals("orders", key(end, "api/orders/1"));
    }

    @Test
    void sqlKeywordSkipsBlanksParenthesesEscapesAndComments() {
        LabelKey operations = mapped(DerivedLabel.Extract.SQL_KEYWORD, null, null, SQL, SQL);
        assertEquals("SELECT", key(operations, "select * from t"));
        assertEquals("SELECT", key(operations, "\n\t  ((SELECT 1))"));
        assertEquals("INSERT", key(operations, "-- audit\n/* a */ /* b\n */ insert into t values (1)"));
        assertEquals("CALL", key(operations, "{call proc(?)}"));
        assertEquals("WITH", key(operations, "with x as (select 1) select * from x"));
        assertEquals("SELECT", key(operations, "SELECT"));
        assertEquals("_OTHER", key(operations, "selected"));
        assertEquals("_OTHER", key(operations, "{?= call f()}"));
        assertEquals("_OTHER", key(operations, "update t set a = 1"));
        assertEquals("_OTHER", key(operations, ""));
        assertEquals("_OTHER", key(operations, "   "));
        assertEquals("_OTHER", key(operations, "-- only a comment"));
        assertEquals("_OTHER", key(operations, "/* unclosed select"));
        assertEquals("none", key(operations, null));
        String longSql = "select " + "x, ".repeat(200_000) + "y from t";
        assertEquals("SELECT", key(operations, longSql));
        assertEquals("_OTHER", key(operations, "/*" + " ".repeat(200_000) + "*/ delete from t"));
    }

    @Test
    void aMappedTextIsTheVocabularysOwnString() {
        String written = new String("SELECT");
        LabelKey operations = mapped(DerivedLabel.Extract.SQL_KEYWORD, null, null, List.of(written), List.of(written));
        assertSame(written, key(operations, "select 1"));
    }
}
