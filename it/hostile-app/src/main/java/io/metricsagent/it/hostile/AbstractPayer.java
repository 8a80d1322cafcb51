package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/** An annotated abstract method: no body, so the agent must skip it cleanly. */
abstract class AbstractPayer {

    @MeteredPayment(gateway = "case_abstract", currency = "case_abstract", service = "case_abstract")
    abstract String pay(int i);
}
