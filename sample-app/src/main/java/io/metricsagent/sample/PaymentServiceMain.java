package io.metricsagent.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the payment service: T threads take the SPEC's five scenarios in turn until N payments
 * are made, then print a summary: totals on one line, then one line per scenario. With
 * {@code --stdin}, rounds of payments as stdin asks, each with its summary. Without
 * {@code --exit} the process stays up, so that its metrics can still be scraped.
 */
public final class PaymentServiceMain {

    private final SampleOptions options;
    /** The service's one pool, alive as long as the process (the agent only holds it weakly). */
    private static final ConnectionPool POOL = new ConnectionPool();
    /** The service's one client of the legacy gateway, alive as long as the process, as the pool is. */
    private static final LegacyGatewayClient LEGACY_GATEWAY = new LegacyGatewayClient("eu-west");

    private final FraudCheck fraudCheck = new FraudCheck();
    private final AtomicLong next = new AtomicLong();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder gatewayTimeouts = new LongAdder();
    private final LongAdder validationErrors = new LongAdder();
    private final LongAdder[] requestsByScenario = adders();
    private final LongAdder[] failedByScenario = adders();

    private PaymentServiceMain(SampleOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws InterruptedException {
        SampleOptions options;
        try {
            options = SampleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.stdin) {
            rounds(options);
        } else {
            new PaymentServiceMain(options).run();
        }
        if (!options.exit) {
            new CountDownLatch(1).await();
        }
    }

    /** One round per line of stdin, each with its own summary. */
    private static void rounds(SampleOptions options) throws InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                long requests;
                try {
                    requests = Long.parseLong(line.trim());
                } catch (NumberFormatException e) {
                    System.err.println("not a number of payments: " + line);
                    continue;
                }
                new PaymentServiceMain(options.round(requests)).run();
            }
        } catch (IOException e) {
            System.err.println("stdin: " + e);
        }
    }

    private void run() throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.threads; i++) {
            Checkout checkout = new Checkout(new PaymentService(POOL, new Random(options.seed + i), options.speed,
                    options.failureRate, options.premiumFailureRate));
            Thread worker = new Thread(() -> work(checkout), "payment-worker-" + i);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("summary requests=%d succeeded=%d failed=%d gateway_timeouts=%d validation_errors=%d"
                        + " pool_active=%d%n",
                succeeded.sum() + gatewayTimeouts.sum() + validationErrors.sum(), succeeded.sum(),
                gatewayTimeouts.sum() + validationErrors.sum(), gatewayTimeouts.sum(), validationErrors.sum(),
                POOL.active());
        for (int i = 0; i < Scenario.ALL.size(); i++) {
            System.out.printf("scenario %s requests=%d failed=%d%n",
                    Scenario.ALL.get(i).orderId, requestsByScenario[i].sum(), failedByScenario[i].sum());
        }
        System.out.flush();
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Scenario.ALL.size()];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private void work(Checkout checkout) {
        for (long n = next.getAndIncrement(); options.requests < 0 || n < options.requests; n = next.getAndIncrement()) {
            int index = (int) (n % Scenario.ALL.size());
            Scenario s = Scenario.ALL.get(index);
            requestsByScenario[index].increment();
            fraudCheck.screen(s);
            LEGACY_GATEWAY.charge(s.legacyRequest);
            LEGACY_GATEWAY.charge(s.legacyRequest, s.orderId);
            try {
                checkout.pay(s.orderId, s.userId, s.amount, s.userTier, s.paymentMethod);
                succeeded.increment();
            } catch (CheckoutException e) {
                failedByScenario[index].increment();
                (e.getCause() instanceof PaymentGatewayException ? gatewayTimeouts : validationErrors).increment();
            }
        }
    }
}
