package io.metricsagent.legacy;

/** A gateway for tests, which the configuration leaves out by name. */
public class SandboxGateway implements Gateway {

    @Override
    public Receipt charge(String customer, double amount) {
        return new Receipt("APPROVED");
    }
}
