package io.metricsagent.it.hostile;

/** Its implementation narrows the return type: a covariant bridge. */
interface Source {
    Object get(int i);
}
