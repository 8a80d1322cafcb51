package io.metricsagent.legacy;

/** Handlers chosen by the annotation on their class. */
@Endpoint
public class OrderEndpoint {

    public String place(String item) {
        return "placed " + item;
    }

    public String cancel(String item) {
        if (item.isEmpty()) {
            throw new IllegalArgumentException("nothing to cancel");
        }
        return "cancelled " + item;
    }

    public String health() {
        return "ok";
    }
}
