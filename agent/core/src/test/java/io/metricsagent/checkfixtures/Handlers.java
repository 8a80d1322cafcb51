package io.metricsagent.checkfixtures;

/** Check fixture: handlers chosen by the annotation on their class. */
@Handler
public class Handlers {

    public String place(String item) {
        return "placed " + item;
    }

    public String health() {
        return "ok";
    }
}
