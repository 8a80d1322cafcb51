package io.metricsagent.checkfixtures;

/** Check fixture: two overloads of charge, a static counter a gauge reads, a method no gauge can read. */
public class CardGateway extends BaseGateway {

    private static int charged;

    @Override
    public Receipt charge(Order order) {
        charged++;
        return approve();
    }

    public Receipt charge(Order order, String idempotencyKey) {
        return charge(order);
    }

    public static int charged() {
        return charged;
    }

    public String region() {
        return "eu";
    }
}
