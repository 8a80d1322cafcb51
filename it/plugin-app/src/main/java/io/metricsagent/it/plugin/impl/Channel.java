package io.metricsagent.it.plugin.impl;

enum Channel {
    CARD, WALLET, BANK
}
