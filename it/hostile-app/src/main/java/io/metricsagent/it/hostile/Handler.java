package io.metricsagent.it.hostile;

/** Generic: its implementations get bridge methods. */
interface Handler<T> {
    String handle(T value);
}
