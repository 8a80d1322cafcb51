package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/** Its annotated method is overridden, without the annotation, in {@link OverrideSub}. */
class OverrideBase {

    @MeteredPayment(gateway = "case_override", currency = "case_override", service = "case_override")
    String pay(int i) {
        return "base " + i;
    }
}
