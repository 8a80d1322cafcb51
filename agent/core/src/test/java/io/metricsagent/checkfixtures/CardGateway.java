package io.metricsagent.checkfixtures;

/** Check fixture: two overloads of charge, a static and an instance gauge, a method no gauge can read. */
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

    public int pending() {
        return 0;
    }

    public String region() {
        return "eu";
    }
}
