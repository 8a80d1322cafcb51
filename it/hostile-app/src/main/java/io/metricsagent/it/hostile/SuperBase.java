package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/** Its annotated method is called through {@code super} by {@link SuperCaller}. */
class SuperBase {

    @MeteredPayment(gateway = "case_super", currency = "case_super", service = "case_super")
    String pay(int i) {
        if (i == 4) {
            throw Cases.remember(new IllegalStateException("super " + i));
        }
        return "super base " + i;
    }
}
