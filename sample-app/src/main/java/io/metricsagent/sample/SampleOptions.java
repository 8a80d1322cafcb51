package io.metricsagent.sample;

/**
 * The sample's command line: {@code --requests N --threads T --speed F --seed S --failure-rate R --exit --stdin}.
 */
final class SampleOptions {

    static final String USAGE = "usage: java [-javaagent:metrics-agent.jar] -jar sample-app.jar"
            + " [--requests N | --stdin] [--threads T] [--speed F] [--seed S] [--failure-rate R] [--exit]";

    /** Payments to make in all; negative means no end. */
    final long requests;
    final int threads;
    final double speed;
    final long seed;
    /** Share of failed payments; the SPEC's 10 % unless {@code --failure-rate} says otherwise. */
    final double failureRate;
    /** The same for premium users: the SPEC's 5 %, or what {@code --failure-rate} says for everyone. */
    final double premiumFailureRate;
    final boolean exit;
    /**
     * Payments are made in rounds, one per line read from stdin, each line the round's number of
     * payments (so that a test decides when calls happen); the input's end ends the rounds.
     */
    final boolean stdin;

    private SampleOptions(long requests, int threads, double speed, long seed, double failureRate,
                          double premiumFailureRate, boolean exit, boolean stdin) {
        this.requests = requests;
        this.threads = threads;
        this.speed = speed;
        this.seed = seed;
        this.failureRate = failureRate;
        this.premiumFailureRate = premiumFailureRate;
        this.exit = exit;
        this.stdin = stdin;
    }

    /** The same options for one round of {@code requests} payments. */
    SampleOptions round(long requests) {
        return new SampleOptions(requests, threads, speed, seed, failureRate, premiumFailureRate, exit, false);
    }

    static SampleOptions parse(String... args) {
        long requests = -1;
        int threads = 1;
        double speed = 1;
        long seed = System.nanoTime();
        double failureRate = PaymentService.FAILURE_RATE;
        double premiumFailureRate = PaymentService.PREMIUM_FAILURE_RATE;
        boolean exit = false;
        boolean stdin = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--exit")) {
                exit = true;
                continue;
            }
            if (flag.equals("--stdin")) {
                stdin = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value; " + USAGE);
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--requests":
                        requests = Long.parseLong(value);
                        check(requests >= 0, flag, value);
                        break;
                    case "--threads":
                        threads = Integer.parseInt(value);
                        check(threads >= 1, flag, value);
                        break;
                    case "--speed":
                        speed = Double.parseDouble(value);
                        check(speed >= 0 && !Double.isInfinite(speed), flag, value);
                        break;
                    case "--seed":
                        seed = Long.parseLong(value);
                        break;
                    case "--failure-rate":
                        failureRate = Double.parseDouble(value);
                        check(failureRate >= 0 && failureRate <= 1, flag, value);
                        premiumFailureRate = failureRate;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown flag " + flag + "; " + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " " + value + " is not a number; " + USAGE);
            }
        }
        if (stdin && requests >= 0) {
            throw new IllegalArgumentException("--requests and --stdin exclude each other; " + USAGE);
        }
        return new SampleOptions(requests, threads, speed, seed, failureRate, premiumFailureRate, exit, stdin);
    }

    private static void check(boolean valid, String flag, String value) {
        if (!valid) {
            throw new IllegalArgumentException(flag + " " + value + " is out of range; " + USAGE);
        }
    }
}
