package io.metricsagent.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    @Test
    void startsAtFifteenOfTwenty() {
        ConnectionPool pool = new ConnectionPool();
        assertEquals(15, pool.active());
        assertEquals(20, pool.maxSize());
    }

    @Test
    void eachSuccessTakesOneMoreConnection() {
        ConnectionPool pool = new ConnectionPool();
        for (int expected = 16; expected <= 20; expected++) {
            pool.onPaymentSucceeded();
            assertEquals(expected, pool.active());
        }
    }

    @Test
    void capsAtTwentyAfterManySuccesses() {
        ConnectionPool pool = new ConnectionPool();
        for (int i = 0; i < 10_000; i++) {
            pool.onPaymentSucceeded();
        }
        assertEquals(20, pool.active());
        assertEquals(20, pool.maxSize());
    }

    @Test
    void poolsAreIndependent() {
        ConnectionPool a = new ConnectionPool();
        ConnectionPool b = new ConnectionPool();
        a.onPaymentSucceeded();
        assertEquals(16, a.active());
        assertEquals(15, b.active());
    }
}
