package io.metricsagent.orders;

import io.metricsagent.it.truth.Ledger;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.stereotype.Component;

/**
 * A job at a fixed rate that counts the orders, and fails on every third run after counting. It
 * stops itself after {@code job.runs} runs, so that its runs are a known number however long a
 * test takes.
 */
@Component
public class ReportJob {

    private final Orders orders;
    private final Ledger ledger;
    private final List<ScheduledTaskHolder> schedulers;
    private final int runs;
    private final AtomicInteger run = new AtomicInteger();

    public ReportJob(Orders orders, Ledger ledger, List<ScheduledTaskHolder> schedulers, @Value("${job.runs}") int runs) {
        this.orders = orders;
        this.ledger = ledger;
        this.schedulers = schedulers;
        this.runs = runs;
    }

    @Scheduled(fixedRateString = "${job.rate-ms}", initialDelayString = "${job.initial-delay-ms:${job.rate-ms}}")
    public void report() {
        int number = run.incrementAndGet();
        ledger.count("job", "run");
        long count = orders.count();
        if (number == runs) {
            // This application's one scheduled task; false: not to interrupt this very run.
            schedulers.forEach(scheduler -> scheduler.getScheduledTasks().forEach(task -> task.cancel(false)));
            System.out.println("job finished after " + number + " runs");
        }
        if (number % 3 == 0) {
            IllegalStateException failure = new IllegalStateException("report " + number + " failed with " + count + " orders");
            ledger.count("job", "failure", failure.getClass().getName());
            throw failure;
        }
    }
}
