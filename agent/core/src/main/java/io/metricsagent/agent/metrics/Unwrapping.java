package io.metricsagent.agent.metrics;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces what a call threw by its cause while it is of one of the types an exception label
 * unwraps ({@code unwrap: [jakarta.servlet.ServletException]}), at most
 * {@value ErrorClassifier#MAX_CAUSES} deep, so that the label names the exception a framework
 * wrapped. Whether a class is of those types is learnt once per class name, as
 * {@link ErrorClassifier} does: nothing here holds an application class or throwable.
 */
final class Unwrapping {

    private final String[] types;
    private final ConcurrentHashMap<String, Boolean> unwrapsByClassName = new ConcurrentHashMap<>();

    /** @param types Java names of exception classes (their subclasses unwrap too) */
    Unwrapping(List<String> types) {
        this.types = types.toArray(new String[0]);
    }

    Throwable unwrap(Throwable thrown) {
        Throwable current = thrown;
        // Bounded, so that a cycle of causes of these types ends too.
        for (int depth = 0; depth < ErrorClassifier.MAX_CAUSES && unwraps(current.getClass()); depth++) {
            Throwable cause = ErrorClassifier.cause(current);
            if (cause == null) {
                return current;
            }
            current = cause;
        }
        return current;
    }

    private boolean unwraps(Class<?> type) {
        Boolean known = unwrapsByClassName.get(type.getName());
        return known != null ? known : learn(type);
    }

    private boolean learn(Class<?> type) {
        boolean unwraps = false;
        for (Class<?> c = type; c != null && !unwraps; c = c.getSuperclass()) {
            for (String unwrapped : types) {
                unwraps |= unwrapped.equals(c.getName());
            }
        }
        if (unwrapsByClassName.size() < ErrorClassifier.MAX_CACHED) {
            unwrapsByClassName.putIfAbsent(type.getName(), unwraps);
        }
        return unwraps;
    }
}
