package io.metricsagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an exception label names: the cause inside the listed wrappers, bounded however the chain loops. */
class UnwrappingTest {

    static class Wrapper extends RuntimeException {
        Wrapper(Throwable cause) {
            super(cause);
        }
    }

    static class SubWrapper extends Wrapper {
        SubWrapper(Throwable cause) {
            super(cause);
        }
    }

    /** A wrapper whose cause can be set after it is made, to close a cycle. */
    static class Looping extends Wrapper {
        Throwable next;

        Looping() {
            super(null);
        }

        @Override
        public synchronized Throwable getCause() {
            return next;
        }
    }

    private final Unwrapping unwrapping = new Unwrapping(List.of(Wrapper.class.getName()));

    @Test
    void aListedTypeOrSubclassWithACauseIsReplacedByIt() {
        IllegalStateException inner = new IllegalStateException();
        assertSame(inner, unwrapping.unwrap(new Wrapper(new SubWrapper(inner))));
        RuntimeException unlisted = new RuntimeException(inner);
        assertSame(unlisted, unwrapping.unwrap(new Wrapper(unlisted)));
        Wrapper alone = new Wrapper(null);
        assertSame(alone, unwrapping.unwrap(alone));
        assertSame(inner, unwrapping.unwrap(inner));
    }

    @Test
    void aChainEndsSixteenDeepAndACycleEnds() {
        Throwable chain = new IllegalStateException();
        for (int i = 0; i < 20; i++) {
            chain = new Wrapper(chain);
        }
        Throwable expected = chain;
        for (int i = 0; i < ErrorClassifier.MAX_CAUSES; i++) {
            expected = expected.getCause();
        }
        assertSame(expected, unwrapping.unwrap(chain));
        Looping a = new Looping();
        Looping b = new Looping();
        a.next = b;
        b.next = a;
        assertSame(a, unwrapping.unwrap(a));
    }
}
