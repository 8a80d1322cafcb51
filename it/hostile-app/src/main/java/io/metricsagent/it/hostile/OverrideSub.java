package io.metricsagent.it.hostile;

/** Overrides the annotated method without the annotation and without calling it: not metered. */
final class OverrideSub extends OverrideBase {

    @Override
    String pay(int i) {
        return "sub " + i;
    }
}
