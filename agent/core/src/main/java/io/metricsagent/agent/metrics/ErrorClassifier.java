package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.ErrorRule;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the first of a method's {@link ErrorRule}s that matches what a call threw. The first
 * time an exception class is seen, its superclasses' names are compared with the rules' types and
 * the result is cached by the class's name; after that a throwable costs one map read (a class's
 * name is cached by the JDK), and one more per cause when a rule looks through the cause chain.
 * Nothing here holds an application class or throwable. Classes of the same name in two loaders
 * share what the first one seen matched.
 */
final class ErrorClassifier {

    /** How deep a cause chain is followed: far enough for wrappers of wrappers, bounded for cycles. */
    static final int MAX_CAUSES = 16;
    /** Beyond this many exception class names, a class is matched again on each throw rather than cached. */
    static final int MAX_CACHED = 4096;
    private static final int NONE = Integer.MAX_VALUE;
    private static final Match NO_MATCH = new Match(NONE, NONE);

    private final String[] types;
    private final boolean[] causes;
    private final boolean anyCauses;
    private final ConcurrentHashMap<String, Match> byClassName = new ConcurrentHashMap<>();

    ErrorClassifier(List<ErrorRule> rules) {
        types = new String[rules.size()];
        causes = new boolean[rules.size()];
        boolean any = false;
        for (int i = 0; i < types.length; i++) {
            types[i] = rules.get(i).type();
            causes[i] = rules.get(i).causes();
            any |= causes[i];
        }
        anyCauses = any;
    }

    /**
     * The index of the first rule that matches {@code thrown}, or -1. A rule matches when
     * {@code thrown} is of its type or a subclass, or, when the rule looks through causes, when
     * one of the first {@value #MAX_CAUSES} causes is; rules are taken in order, so an earlier
     * rule matching a cause wins over a later one matching {@code thrown} itself.
     */
    int classify(Throwable thrown) {
        int best = match(thrown.getClass()).direct;
        if (anyCauses) {
            // Brent's cycle check: remember one throwable of the chain and move it ever further
            // ahead, so that a cycle meets it again, with nothing allocated.
            Throwable mark = thrown;
            Throwable current = thrown;
            int steps = 0;
            int window = 1;
            for (int depth = 0; depth < MAX_CAUSES && best > 0; depth++) {
                current = cause(current);
                if (current == null || current == mark) {
                    break;
                }
                best = Math.min(best, match(current.getClass()).viaCause);
                if (++steps == window) {
                    mark = current;
                    window <<= 1;
                    steps = 0;
                }
            }
        }
        return best == NONE ? -1 : best;
    }

    // getCause() may be the application's own override: one that throws ends the chain.
    static Throwable cause(Throwable t) {
        try {
            return t.getCause();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Match match(Class<?> type) {
        Match known = byClassName.get(type.getName());
        return known != null ? known : learn(type);
    }

    private Match learn(Class<?> type) {
        int direct = NONE;
        int viaCause = NONE;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String name = c.getName();
            for (int i = 0; i < types.length; i++) {
                if (types[i].equals(name)) {
                    direct = Math.min(direct, i);
                    if (causes[i]) {
                        viaCause = Math.min(viaCause, i);
                    }
                }
            }
        }
        Match match = direct == NONE ? NO_MATCH : new Match(direct, viaCause);
        if (byClassName.size() < MAX_CACHED) {
            byClassName.putIfAbsent(type.getName(), match);
        }
        return match;
    }

    /** What one exception class matches: the first rule as the thrown exception, and as a cause. */
    private static final class Match {
        final int direct;
        final int viaCause;

        Match(int direct, int viaCause) {
            this.direct = direct;
            this.viaCause = viaCause;
        }
    }
}
