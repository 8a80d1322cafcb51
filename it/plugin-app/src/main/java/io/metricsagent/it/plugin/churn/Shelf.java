package io.metricsagent.it.plugin.churn;

import io.metricsagent.api.MeteredGauge;

/** Read through its instances: a shelf of a deployment that is gone must not be read. */
final class Shelf {

    private final int items;
    private final int deployment;

    Shelf(int items, int deployment) {
        this.items = items;
        this.deployment = deployment;
    }

    @MeteredGauge(name = "churn_shelf_items", help = "Items on the live deployment's shelves")
    int items() {
        return items;
    }

    @MeteredGauge(name = "churn_shelf_capacity", help = "Room on the live deployment's shelves")
    int capacity() {
        return 2 * items;
    }

    @MeteredGauge(name = "churn_shelf_deployment", help = "The deployment number, once per shelf")
    int deployment() {
        return deployment;
    }
}
