package io.metricsagent.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleOptionsTest {

    /** Spelled out rather than read from {@link SampleOptions#USAGE}, so that a changed text fails here. */
    private static final String USAGE = "usage: java [-javaagent:metrics-agent.jar] -jar sample-app.jar"
            + " [--requests N | --stdin] [--threads T] [--speed F] [--seed S] [--failure-rate R] [--exit]";

    @Test
    void usageText() {
        assertEquals(USAGE, SampleOptions.USAGE);
    }

    @Test
    void defaults() {
        SampleOptions options = SampleOptions.parse();
        assertEquals(-1L, options.requests, "negative requests means endless");
        assertEquals(1, options.threads);
        assertEquals(1.0, options.speed);
        assertEquals(0.10, options.failureRate, "the SPEC's rate");
        assertEquals(0.05, options.premiumFailureRate, "the SPEC's rate for premium users");
        assertFalse(options.exit);
        assertFalse(options.stdin);
    }

    @Test
    void stdin() {
        SampleOptions options = SampleOptions.parse("--stdin", "--speed", "0.5", "--threads", "2");
        assertTrue(options.stdin);
        assertEquals(-1L, options.requests);
        SampleOptions round = options.round(7);
        assertEquals(7L, round.requests);
        assertFalse(round.stdin);
        assertEquals(0.5, round.speed);
        assertEquals(2, round.threads);
        assertEquals(options.seed, round.seed);
        SampleOptions failing = SampleOptions.parse("--stdin", "--failure-rate", "0.9").round(3);
        assertEquals(0.9, failing.failureRate);
        assertEquals(0.9, failing.premiumFailureRate);
        assertMessage("--requests and --stdin exclude each other; " + USAGE, "--stdin", "--requests", "5");
    }

    @Test
    void requests() {
        assertEquals(250L, SampleOptions.parse("--requests", "250").requests);
        assertEquals(0L, SampleOptions.parse("--requests", "0").requests);
        assertEquals(Long.MAX_VALUE, SampleOptions.parse("--requests", "9223372036854775807").requests);
    }

    @Test
    void threads() {
        assertEquals(8, SampleOptions.parse("--threads", "8").threads);
        assertEquals(1, SampleOptions.parse("--threads", "1").threads);
    }

    @Test
    void speed() {
        assertEquals(0.25, SampleOptions.parse("--speed", "0.25").speed);
        assertEquals(0.0, SampleOptions.parse("--speed", "0").speed);
        assertEquals(3.0, SampleOptions.parse("--speed", "3").speed);
    }

    @Test
    void seed() {
        assertEquals(42L, SampleOptions.parse("--seed", "42").seed);
        assertEquals(-7L, SampleOptions.parse("--seed", "-7").seed);
    }

    @Test
    void failureRate() {
        SampleOptions options = SampleOptions.parse("--failure-rate", "0.9");
        assertEquals(0.9, options.failureRate);
        assertEquals(0.9, options.premiumFailureRate, "one rate for every tier");
        assertEquals(0.0, SampleOptions.parse("--failure-rate", "0").failureRate);
        assertEquals(1.0, SampleOptions.parse("--failure-rate", "1").premiumFailureRate);
    }

    @Test
    void exit() {
        assertTrue(SampleOptions.parse("--exit").exit);
    }

    @Test
    void allFlagsTogetherAnyOrder() {
        SampleOptions options = SampleOptions.parse(
                "--exit", "--seed", "9", "--speed", "0.5", "--failure-rate", "0.25", "--threads", "4", "--requests", "1000");
        assertEquals(1000L, options.requests);
        assertEquals(4, options.threads);
        assertEquals(0.5, options.speed);
        assertEquals(9L, options.seed);
        assertEquals(0.25, options.failureRate);
        assertTrue(options.exit);
    }

    @Test
    void laterFlagWins() {
        assertEquals(3, SampleOptions.parse("--threads", "2", "--threads", "3").threads);
    }

    @Test
    void unknownFlag() {
        assertMessage("unknown flag --bogus; " + USAGE, "--bogus", "1");
        assertMessage("unknown flag requests; " + USAGE, "requests", "5");
    }

    @Test
    void missingValue() {
        assertMessage("--threads needs a value; " + USAGE, "--threads");
        assertMessage("--requests needs a value; " + USAGE, "--exit", "--requests");
        // An unknown last flag has no value either: that is what is reported.
        assertMessage("--bogus needs a value; " + USAGE, "--bogus");
    }

    @Test
    void notANumber() {
        assertMessage("--threads many is not a number; " + USAGE, "--threads", "many");
        assertMessage("--requests 1.5 is not a number; " + USAGE, "--requests", "1.5");
        assertMessage("--speed fast is not a number; " + USAGE, "--speed", "fast");
        assertMessage("--seed x is not a number; " + USAGE, "--seed", "x");
        assertMessage("--failure-rate often is not a number; " + USAGE, "--failure-rate", "often");
        // A flag where a value belongs is taken as the value.
        assertMessage("--threads --exit is not a number; " + USAGE, "--threads", "--exit");
    }

    @Test
    void outOfRange() {
        assertMessage("--threads 0 is out of range; " + USAGE, "--threads", "0");
        assertMessage("--threads -3 is out of range; " + USAGE, "--threads", "-3");
        assertMessage("--speed -1 is out of range; " + USAGE, "--speed", "-1");
        assertMessage("--speed Infinity is out of range; " + USAGE, "--speed", "Infinity");
        assertMessage("--speed NaN is out of range; " + USAGE, "--speed", "NaN");
        assertMessage("--requests -1 is out of range; " + USAGE, "--requests", "-1");
        assertMessage("--failure-rate 1.5 is out of range; " + USAGE, "--failure-rate", "1.5");
        assertMessage("--failure-rate -0.1 is out of range; " + USAGE, "--failure-rate", "-0.1");
        assertMessage("--failure-rate NaN is out of range; " + USAGE, "--failure-rate", "NaN");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(args));
        assertEquals(IllegalArgumentException.class, e.getClass(), "not a subclass such as NumberFormatException");
        assertEquals(expected, e.getMessage());
    }
}
