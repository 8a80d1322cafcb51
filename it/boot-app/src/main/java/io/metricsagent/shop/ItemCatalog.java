package io.metricsagent.shop;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/** The articles on sale, kept in memory. */
@Service
public class ItemCatalog {

    private final Map<String, Item> items = new TreeMap<>();

    public ItemCatalog() {
        add(new Item("apple", "Apple", new BigDecimal("0.45")));
        add(new Item("bread", "Bread", new BigDecimal("2.10")));
        add(new Item("cheese", "Cheese", new BigDecimal("4.80")));
    }

    private void add(Item item) {
        items.put(item.sku(), item);
    }

    public Optional<Item> find(String sku) {
        return Optional.ofNullable(items.get(sku));
    }

    public List<Item> first(int limit) {
        return items.values().stream().limit(limit).toList();
    }
}
