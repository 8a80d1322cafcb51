package io.metricsagent.agent.weaving;

/** A service that {@link GeneratedClassTest} subclasses at run time, as a framework makes a proxy of it. */
public class ProxiedService {

    public String getRegion() {
        return "eu-west";
    }

    public String handle(String order) {
        return "handled " + order;
    }
}
