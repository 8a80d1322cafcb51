package io.metricsagent.shop;

import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Items and prices; every parameter is bound by its name in the class file. */
@RestController
@RequestMapping("/api")
public class ItemController {

    private final ItemCatalog catalog;

    public ItemController(ItemCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/items")
    public List<Item> items(@RequestParam(defaultValue = "10") int limit) {
        return catalog.first(limit);
    }

    @GetMapping("/items/{sku}")
    public Item item(@PathVariable String sku) {
        return existing(sku);
    }

    @GetMapping("/quote")
    public Quote quote(@RequestParam String sku, @RequestParam int quantity) {
        return new Quote(sku, quantity, existing(sku).unitPrice().multiply(BigDecimal.valueOf(quantity)), "EUR");
    }

    private Item existing(String sku) {
        return catalog.find(sku).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no item " + sku));
    }
}
