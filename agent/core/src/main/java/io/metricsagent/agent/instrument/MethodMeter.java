package io.metricsagent.agent.instrument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the agent records for one metered method, read once when its class is woven: the per-call
 * values woven code must hand over, the number some families observe, and the families with the
 * source of each label. A call's outcome is failed when it throws. Readers (annotations today)
 * produce it; the weaver and the recorder know only this.
 */
public final class MethodMeter {

    private final String method;
    private final List<ValueSource> values;
    private final ValueSource number;
    private final double numberWhenAbsent;
    private final List<FamilySpec> families;

    /**
     * @param method           the method as messages name it, e.g. {@code com.shop.Orders.place()}
     * @param values           the per-call values labels refer to by index
     * @param number           where the number comes from, or {@code null} for none
     * @param numberWhenAbsent the number when there is none or it is {@code null}: 0 counts it as
     *                         zero, NaN leaves it unobserved
     */
    public MethodMeter(String method, List<ValueSource> values, ValueSource number, double numberWhenAbsent,
                       List<FamilySpec> families) {
        this.method = method;
        this.values = Collections.unmodifiableList(new ArrayList<>(values));
        this.number = number;
        this.numberWhenAbsent = numberWhenAbsent;
        this.families = Collections.unmodifiableList(new ArrayList<>(families));
    }

    public String method() {
        return method;
    }

    public List<ValueSource> values() {
        return values;
    }

    public ValueSource number() {
        return number;
    }

    public double numberWhenAbsent() {
        return numberWhenAbsent;
    }

    public List<FamilySpec> families() {
        return families;
    }
}
