package io.metricsagent.it.hostile;

/** Implements the annotated abstract method without the annotation: not metered. */
final class ConcretePayer extends AbstractPayer {

    @Override
    String pay(int i) {
        return "concrete " + i;
    }
}
