package io.metricsagent.agent.metrics;

import io.metricsagent.agent.description.FamilySpec;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** A metric family recorded by woven methods; every method declaring the same family shares it. */
abstract class Family {

    final FamilySpec spec;

    Family(FamilySpec spec) {
        this.spec = spec;
    }

    /** The series with these label values (in the order of the spec's label names), created on first use. */
    abstract Cell series(String... labelValues);

    abstract MetricSnapshot snapshot();
}
