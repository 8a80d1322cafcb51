package io.metricsagent.orders;

import io.metricsagent.orders.Orders.Order;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Orders over HTTP. A missing order is a 404 through {@link ResponseStatusException}, which Spring
 * turns into {@code sendError} and Tomcat into an error dispatch to Boot's {@code /error}; the
 * invoice handler always throws, and the history handler's statement always fails, which Tomcat
 * answers with a 500 through the same dispatch.
 */
@RestController
public class OrderController {

    private final Orders orders;

    public OrderController(Orders orders) {
        this.orders = orders;
    }

    @GetMapping("/orders")
    public List<Order> all() {
        return orders.all();
    }

    @GetMapping("/orders/{id}")
    public Order one(@PathVariable long id) {
        return orders.find(id).orElseThrow(() -> missing(id));
    }

    @PostMapping("/orders")
    public ResponseEntity<Order> add(@RequestParam String item, @RequestParam int quantity) {
        long id = orders.add(item, quantity);
        return ResponseEntity.created(URI.create("/orders/" + id)).body(new Order(id, item, quantity));
    }

    @PutMapping("/orders/{id}")
    public ResponseEntity<Void> changeQuantity(@PathVariable long id, @RequestParam int quantity) {
        if (!orders.changeQuantity(id, quantity)) {
            throw missing(id);
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/orders/{id}")
    public ResponseEntity<Void> remove(@PathVariable long id) {
        if (!orders.remove(id)) {
            throw missing(id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/orders/{id}/invoice")
    public String invoice(@PathVariable long id) {
        throw new IllegalStateException("no invoicing for order " + id);
    }

    @GetMapping("/orders/{id}/history")
    public List<String> history(@PathVariable long id) {
        return orders.history(id);
    }

    private static ResponseStatusException missing(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id);
    }
}
