package io.metricsagent.reflection;

/** Counts what was recorded; its method carries an annotation that only class-file readers see. */
public class Ledger {

    private long entries;

    @Audited
    public long record(int count, String reason) {
        entries += count;
        return entries;
    }
}
