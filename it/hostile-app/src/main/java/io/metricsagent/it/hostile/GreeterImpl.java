package io.metricsagent.it.hostile;

/** Inherits the default method. */
final class GreeterImpl implements Greeter {}
