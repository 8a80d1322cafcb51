package io.metricsagent.orders;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** A view name that forwards: the request is dispatched again, inside the server, to {@code /orders/1}. */
@Controller
public class FirstOrderController {

    @GetMapping("/first-order")
    public String firstOrder() {
        return "forward:/orders/1";
    }
}
