package io.metricsagent.agent.weaving;

import io.metricsagent.api.MeteredPayment;
import java.math.BigDecimal;

/** Weaving fixture: a static method with a BigDecimal amount that throws above 5000. */
public class BigDecimalPayments {

    @MeteredPayment(gateway = "g-bd", currency = "CHF", service = "svc-bd")
    public static BigDecimal settle(String orderId,
                                    @MeteredPayment.UserTier Object tier,
                                    @MeteredPayment.Amount BigDecimal amount,
                                    @MeteredPayment.Method String method) {
        if (amount.compareTo(new BigDecimal("5000")) > 0) {
            throw new IllegalArgumentException("too large: " + amount + " for " + orderId);
        }
        return amount.add(BigDecimal.ONE);
    }
}
