package io.metricsagent.it.plugin.impl;

enum Tier {
    GOLD, SILVER
}
