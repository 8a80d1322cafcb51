package io.metricsagent.shop;

import java.math.BigDecimal;

/** What a quantity of an item costs. */
public record Quote(String sku, int quantity, BigDecimal total, String currency) {}
