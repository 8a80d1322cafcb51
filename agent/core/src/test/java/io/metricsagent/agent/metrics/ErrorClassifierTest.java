package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metricsagent.agent.description.ErrorRule;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which of a method's error rules what it threw matches: by type and subclass, through causes, in order. */
class ErrorClassifierTest {

    private static ErrorRule rule(Class<?> type, boolean causes) {
        return new ErrorRule(type.getName(), type.getSimpleName(), ErrorRule.Severity.BY_NUMBER, causes);
    }

    /** A throwable whose cause may be anything, itself or a cycle included; counts the calls of getCause. */
    private static final class Linked extends RuntimeException {
        Throwable next;
        int calls;

        @Override
        public synchronized Throwable getCause() {
            calls++;
            return next;
        }
    }

    /** Wraps {@code inner} in {@code depth} RuntimeExceptions. */
    private static Throwable wrapped(Throwable inner, int depth) {
        Throwable t = inner;
        for (int i = 0; i < depth; i++) {
            t = new RuntimeException(t);
        }
        return t;
    }

    @Test
    void aTypeMatchesItselfAndItsSubclassesButNotItsSuperclass() {
        ErrorClassifier classifier = new ErrorClassifier(List.of(rule(IOException.class, false)));
        assertEquals(0, classifier.classify(new IOException()));
        assertEquals(0, classifier.classify(new FileNotFoundException()));
        assertEquals(-1, classifier.classify(new Exception()));
        assertEquals(-1, classifier.classify(new IllegalStateException()));
        // Cached by name: the same answers again.
        assertEquals(0, classifier.classify(new FileNotFoundException()));
        assertEquals(-1, classifier.classify(new IllegalStateException()));
    }

    @Test
    void causesAreLookedThroughOnlyByTheRulesThatSaySo() {
        Throwable wrapper = new UncheckedIOException(new FileNotFoundException());
        assertEquals(-1, new ErrorClassifier(List.of(rule(FileNotFoundException.class, false))).classify(wrapper));
        assertEquals(0, new ErrorClassifier(List.of(rule(FileNotFoundException.class, true))).classify(wrapper));
        assertEquals(0, new ErrorClassifier(List.of(rule(IOException.class, true)))
                .classify(wrapped(new FileNotFoundException(), 5)));
        // The wrapper itself is tried too.
        assertEquals(0, new ErrorClassifier(List.of(rule(UncheckedIOException.class, true))).classify(wrapper));
    }

    @Test
    void theFirstRuleThatMatchesWinsWhereverInTheChainItMatches() {
        Throwable wrapper = new IllegalStateException(new TimeoutException());
        ErrorClassifier causeFirst = new ErrorClassifier(List.of(
                rule(TimeoutException.class, true), rule(IllegalStateException.class, false)));
        assertEquals(0, causeFirst.classify(wrapper));
        ErrorClassifier wrapperFirst = new ErrorClassifier(List.of(
                rule(IllegalStateException.class, false), rule(TimeoutException.class, true)));
        assertEquals(0, wrapperFirst.classify(wrapper));
        ErrorClassifier subclassLater = new ErrorClassifier(List.of(
                rule(RuntimeException.class, false), rule(IllegalStateException.class, false)));
        assertEquals(0, subclassLater.classify(wrapper));
        ErrorClassifier unrelatedFirst = new ErrorClassifier(List.of(
                rule(IOException.class, true), rule(Exception.class, true)));
        assertEquals(1, unrelatedFirst.classify(wrapper));
        assertEquals(0, unrelatedFirst.classify(wrapped(new IOException(), 3)));
    }

    @Test
    void noRuleMatchesWhatNeitherItNorItsCausesAre() {
        ErrorClassifier classifier = new ErrorClassifier(List.of(rule(TimeoutException.class, true)));
        assertEquals(-1, classifier.classify(new IllegalStateException(new IOException())));
        assertEquals(-1, classifier.classify(new Error()));
    }

    @Test
    void aChainIsFollowedSixteenCausesDeep() {
        ErrorClassifier classifier = new ErrorClassifier(List.of(rule(TimeoutException.class, true)));
        assertEquals(0, classifier.classify(wrapped(new TimeoutException(), ErrorClassifier.MAX_CAUSES)));
        assertEquals(-1, classifier.classify(wrapped(new TimeoutException(), ErrorClassifier.MAX_CAUSES + 1)));
    }

    @Test
    void aCycleEndsTheWalkWhereItCloses() {
        ErrorClassifier classifier = new ErrorClassifier(List.of(rule(TimeoutException.class, true),
                rule(Linked.class, true)));
        Linked self = new Linked();
        self.next = self;
        assertEquals(1, classifier.classify(self));
        assertEquals(1, self.calls);
        // a -> b -> c -> b: a cycle that what was thrown is not part of.
        Linked a = new Linked();
        Linked b = new Linked();
        Linked c = new Linked();
        a.next = b;
        b.next = c;
        c.next = b;
        assertEquals(1, classifier.classify(a));
        assertEquals(List.of(1, 1, 1), List.of(a.calls, b.calls, c.calls));
        // A match inside a cycle is found: p -> timeout -> p.
        Linked p = new Linked();
        TimeoutException timeout = new TimeoutException();
        p.next = timeout;
        timeout.initCause(p);
        assertEquals(0, classifier.classify(p));
    }

    @Test
    void aGetCauseThatThrowsEndsTheChain() {
        RuntimeException hostile = new RuntimeException() {
            @Override
            public synchronized Throwable getCause() {
                throw new IllegalStateException("no cause");
            }
        };
        assertEquals(-1, new ErrorClassifier(List.of(rule(IllegalStateException.class, true))).classify(hostile));
        assertEquals(0, new ErrorClassifier(List.of(rule(RuntimeException.class, true))).classify(hostile));
    }
}
