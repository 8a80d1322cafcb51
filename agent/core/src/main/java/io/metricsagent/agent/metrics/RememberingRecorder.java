package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.Remember;
import io.metricsagent.bootstrap.MeterBridge;

/**
 * The recorder of a method a {@code remember:} rule selects: records no metric, but keeps, when a
 * call returns, its value's text in the rule's vocabulary for the call's object, on this thread
 * ({@link RememberedTexts}). A call that throws, or whose object or value is {@code null}, keeps
 * nothing.
 */
final class RememberingRecorder implements MeterBridge.Recorder {

    private final int name;
    private final int object;
    private final int value;
    private final LabelKey.Vocabulary vocabulary;

    RememberingRecorder(Remember remember) {
        name = RememberedTexts.number(remember.name());
        object = remember.object();
        value = remember.text().values()[0];
        vocabulary = new LabelKey.Vocabulary(remember.text());
    }

    @Override
    public void record(long nanos, long endNanos, Throwable thrown, double number, Object v0, Object v1, Object v2,
                       Object v3, Object v4, Object v5) {
        Object kept = MethodRecorder.value(object, v0, v1, v2, v3, v4, v5);
        Object read = MethodRecorder.value(value, v0, v1, v2, v3, v4, v5);
        if (thrown == null && kept != null && read != null) {
            RememberedTexts.remember(name, kept, vocabulary.text(read));
        }
    }
}
