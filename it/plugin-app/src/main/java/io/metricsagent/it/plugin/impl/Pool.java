package io.metricsagent.it.plugin.impl;

import io.metricsagent.api.MeteredGauge;

final class Pool {

    private final int active;

    Pool(int active) {
        this.active = active;
    }

    @MeteredGauge(name = "plugin_pool_active", help = "Connections the plugin holds", labels = {"pool=plugin"})
    int active() {
        return active;
    }
}
