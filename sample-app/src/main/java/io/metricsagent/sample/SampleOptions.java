package io.metricsagent.sample;

/** The sample's command line: {@code --requests N --threads T --speed F --seed S --exit}. */
final class SampleOptions {

    static final String USAGE = "usage: java [-javaagent:metrics-agent.jar] -jar sample-app.jar"
            + " [--requests N] [--threads T] [--speed F] [--seed S] [--exit]";

    /** Payments to make in all; negative means no end. */
    final long requests;
    final int threads;
    final double speed;
    final long seed;
    final boolean exit;

    private SampleOptions(long requests, int threads, double speed, long seed, boolean exit) {
        this.requests = requests;
        this.threads = threads;
        this.speed = speed;
        this.seed = seed;
        this.exit = exit;
    }

    static SampleOptions parse(String... args) {
        long requests = -1;
        int threads = 1;
        double speed = 1;
        long seed = System.nanoTime();
        boolean exit = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--exit")) {
                exit = true;
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
                    default:
                        throw new IllegalArgumentException("unknown flag " + flag + "; " + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " " + value + " is not a number; " + USAGE);
            }
        }
        return new SampleOptions(requests, threads, speed, seed, exit);
    }

    private static void check(boolean valid, String flag, String value) {
        if (!valid) {
            throw new IllegalArgumentException(flag + " " + value + " is out of range; " + USAGE);
        }
    }
}
