package io.metricsagent.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With speed 0 the service never sleeps, so its outcome depends only on its {@link Random}: each
 * call draws nextDouble for the jitter, nextDouble for failure (below 0.10, or 0.05 for premium)
 * and, only when failing, nextDouble for the kind (below 0.3 a gateway timeout, else a validation
 * error). The tests replay that sequence on a second Random with the same seed.
 */
class PaymentServiceTest {

    private static final int CALLS = 10_000;
    private static final String OK = "ok";
    private static final String GATEWAY = "gateway";
    private static final String VALIDATION = "validation";

    @Test
    void standardPaymentFailuresMatchReplayedRandom() {
        long seed = 20240611L;
        ConnectionPool pool = new ConnectionPool();
        PaymentService service = new PaymentService(pool, new Random(seed), 0);

        List<String> actual = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            actual.add(call(service, "order_1", "user_123", 50.0, "standard", "credit_card"));
        }
        List<String> expected = replay(new Random(seed), CALLS, 0.10);

        assertEquals(expected, actual);
        long gateway = count(actual, GATEWAY);
        long validation = count(actual, VALIDATION);
        long succeeded = count(actual, OK);
        assertEquals(count(expected, GATEWAY), gateway);
        assertEquals(count(expected, VALIDATION), validation);
        // Sanity of the model itself (deterministic for this seed): ~10% fail, ~30% of those time out.
        assertTrue(gateway > 0 && validation > gateway, "gateway=" + gateway + " validation=" + validation);
        long failed = gateway + validation;
        assertTrue(failed > 800 && failed < 1200, "failed=" + failed);
        assertEquals(Math.min(20, 15 + succeeded), pool.active());
    }

    @Test
    void premiumUsesFivePercentFailureRate() {
        long seed = 77L;
        PaymentService service = new PaymentService(new ConnectionPool(), new Random(seed), 0);

        List<String> actual = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            actual.add(call(service, "order_2", "user_456", 150.0, "premium", "paypal"));
        }
        List<String> expected = replay(new Random(seed), CALLS, 0.05);
        List<String> atStandardRate = replay(new Random(seed), CALLS, 0.10);

        assertEquals(expected, actual);
        // The seed is one where the two rates give different outcomes, so a wrong rate fails above.
        assertNotEquals(atStandardRate, expected);
        long failed = CALLS - count(actual, OK);
        assertTrue(failed > 350 && failed < 650, "failed=" + failed);
    }

    @Test
    void ownFailureRateAppliesToEveryTier() {
        long seed = 11L;
        PaymentService service = new PaymentService(new ConnectionPool(), new Random(seed), 0, 0.9, 0.9);
        Random replay = new Random(seed);

        for (int n = 0; n < CALLS; n++) {
            Scenario s = Scenario.ALL.get(n % Scenario.ALL.size());
            String actual = call(service, s.orderId, s.userId, s.amount, s.userTier, s.paymentMethod);
            assertEquals(replay(replay, 1, 0.9).get(0), actual, "call " + n + " (" + s.orderId + ")");
        }
    }

    @Test
    void cyclingTheFiveScenariosMatchesReplay() {
        long seed = 5L;
        ConnectionPool pool = new ConnectionPool();
        PaymentService service = new PaymentService(pool, new Random(seed), 0);
        Random replay = new Random(seed);

        for (int n = 0; n < CALLS; n++) {
            Scenario s = Scenario.ALL.get(n % Scenario.ALL.size());
            String actual = call(service, s.orderId, s.userId, s.amount, s.userTier, s.paymentMethod);
            String expected = replay(replay, 1, "premium".equals(s.userTier) ? 0.05 : 0.10).get(0);
            assertEquals(expected, actual, "call " + n + " (" + s.orderId + ")");
        }
    }

    @Test
    void successReturnsTransactionId() throws PaymentException {
        PaymentService service = new PaymentService(new ConnectionPool(), new FixedRandom(0.5, 0.99, 0.5, 0.99), 0);
        assertEquals("txn_order_1_user_123", service.process("order_1", "user_123", 50.0, "standard", "credit_card"));
        assertEquals("txn_o_u", service.process("o", "u", 1.0, null, null));
    }

    @Test
    void successTakesAConnectionFailureDoesNot() throws PaymentException {
        ConnectionPool pool = new ConnectionPool();
        // Success, then a validation error (0.0 < 0.10, 0.5 >= 0.3).
        PaymentService service = new PaymentService(pool, new FixedRandom(0.0, 0.99, 0.0, 0.0, 0.5), 0);
        service.process("o", "u", 1.0, "standard", "card");
        assertEquals(16, pool.active());
        assertThrows(PaymentValidationException.class, () -> service.process("o", "u", 1.0, "standard", "card"));
        assertEquals(16, pool.active());
    }

    @Test
    void gatewayTimeout() {
        PaymentService service = new PaymentService(new ConnectionPool(), new FixedRandom(0.0, 0.0, 0.29), 0);
        PaymentException e = assertThrows(PaymentException.class,
                () -> service.process("o", "u", 1.0, "standard", "card"));
        assertEquals(PaymentGatewayException.class, e.getClass());
        assertEquals("Gateway timeout", e.getMessage());
    }

    @Test
    void invalidPaymentMethod() {
        PaymentService service = new PaymentService(new ConnectionPool(), new FixedRandom(0.0, 0.0, 0.3), 0);
        PaymentException e = assertThrows(PaymentException.class,
                () -> service.process("o", "u", 1.0, "standard", "card"));
        assertEquals(PaymentValidationException.class, e.getClass());
        assertEquals("Invalid payment method", e.getMessage());
    }

    @Test
    void failureThresholdsAreStrict() throws PaymentException {
        // Exactly at the rate is a success, for both tiers.
        assertEquals("txn_o_u",
                new PaymentService(new ConnectionPool(), new FixedRandom(0.0, 0.10), 0)
                        .process("o", "u", 1.0, "standard", "card"));
        assertEquals("txn_o_u",
                new PaymentService(new ConnectionPool(), new FixedRandom(0.0, 0.05), 0)
                        .process("o", "u", 1.0, "premium", "card"));
        // Between the two rates: a standard payment fails, a premium one does not.
        assertThrows(PaymentException.class,
                () -> new PaymentService(new ConnectionPool(), new FixedRandom(0.0, 0.07, 0.9), 0)
                        .process("o", "u", 1.0, "standard", "card"));
        assertEquals("txn_o_u",
                new PaymentService(new ConnectionPool(), new FixedRandom(0.0, 0.07), 0)
                        .process("o", "u", 1.0, "premium", "card"));
    }

    @Test
    void exceptionHierarchy() {
        assertEquals(PaymentException.class, PaymentGatewayException.class.getSuperclass());
        assertEquals(PaymentException.class, PaymentValidationException.class.getSuperclass());
        assertEquals(Exception.class, PaymentException.class.getSuperclass());
    }

    @Test
    void scenarios() {
        assertEquals(5, Scenario.ALL.size());
        assertScenario(Scenario.ALL.get(0), "order_1", "user_123", 50.0, "standard", "credit_card");
        assertScenario(Scenario.ALL.get(1), "order_2", "user_456", 150.0, "premium", "paypal");
        assertScenario(Scenario.ALL.get(2), "order_3", "user_789", 1200.0, "standard", "credit_card");
        assertScenario(Scenario.ALL.get(3), "order_4", "user_321", 25.0, "basic", "debit_card");
        assertScenario(Scenario.ALL.get(4), "order_5", "user_654", 500.0, "premium", "apple_pay");
    }

    private static void assertScenario(Scenario s, String orderId, String userId, double amount, String tier,
                                       String method) {
        assertEquals(orderId, s.orderId);
        assertEquals(userId, s.userId);
        assertEquals(amount, s.amount);
        assertEquals(tier, s.userTier);
        assertEquals(method, s.paymentMethod);
    }

    /** One call's outcome; any exception other than the two kinds fails the test. */
    private static String call(PaymentService service, String orderId, String userId, double amount, String tier,
                               String method) {
        try {
            String txn = service.process(orderId, userId, amount, tier, method);
            assertEquals("txn_" + orderId + "_" + userId, txn);
            return OK;
        } catch (PaymentGatewayException e) {
            assertEquals("Gateway timeout", e.getMessage());
            return GATEWAY;
        } catch (PaymentValidationException e) {
            assertEquals("Invalid payment method", e.getMessage());
            return VALIDATION;
        } catch (PaymentException e) {
            return fail("unexpected " + e);
        }
    }

    /** What {@code calls} payments with this failure rate do, drawn from {@code random}. */
    private static List<String> replay(Random random, int calls, double failureRate) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            random.nextDouble(); // jitter
            if (random.nextDouble() < failureRate) {
                outcomes.add(random.nextDouble() < 0.3 ? GATEWAY : VALIDATION);
            } else {
                outcomes.add(OK);
            }
        }
        return outcomes;
    }

    private static long count(List<String> outcomes, String outcome) {
        return outcomes.stream().filter(outcome::equals).count();
    }

    /** Returns the given doubles in order; any further or other draw fails. */
    private static final class FixedRandom extends Random {
        private final double[] values;
        private int next;

        FixedRandom(double... values) {
            this.values = values;
        }

        @Override
        public double nextDouble() {
            if (next >= values.length) {
                throw new AssertionError("more than " + values.length + " draws");
            }
            return values[next++];
        }

        @Override
        protected int next(int bits) {
            throw new AssertionError("only nextDouble is expected");
        }
    }
}
