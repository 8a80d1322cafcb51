package io.metricsagent.it.hostile;

/** Overrides without the annotation and calls {@code super.pay}: counted once, as the super's call. */
final class SuperCaller extends SuperBase {

    @Override
    String pay(int i) {
        return "caller(" + super.pay(i) + ")";
    }
}
