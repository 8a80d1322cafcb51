package io.metricsagent.it.hostile;

import io.metricsagent.api.MeteredPayment;

/** An annotated default method. */
interface Greeter {

    @MeteredPayment(gateway = "case_default", currency = "case_default", service = "case_default")
    default String greet(@MeteredPayment.UserTier String name) {
        if (name == null) {
            throw Cases.remember(new NullPointerException("no name"));
        }
        return "hello " + name;
    }
}
