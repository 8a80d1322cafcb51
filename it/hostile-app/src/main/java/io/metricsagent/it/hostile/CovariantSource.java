package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/** javac generates the bridge {@code Object get(int)} for {@code Integer get(int)}. */
final class CovariantSource implements Source {

    @Override
    @MeteredPayment(gateway = "case_covariant", currency = "case_covariant", service = "case_covariant")
    public Integer get(int i) {
        return i * 7;
    }
}
