package io.metricsagent.shop;

import java.math.BigDecimal;

/** An article for sale, priced per unit. */
public record Item(String sku, String name, BigDecimal unitPrice) {}
