package io.metricsagent.legacy.web;

/**
 * The bottom of a servlet-like chain: {@link AppService} overrides {@code service} and calls
 * {@code super.service}, as does {@link HttpService}, down to this one, which does the work. One
 * request passes through three methods a rule on this type selects.
 */
public class BaseService {

    /** Answers a request; {@code fail} throws, as a failing handler would; {@code sleep} blocks for 2 ms. */
    public String service(String request) {
        if (request.equals("sleep")) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (request.startsWith("fail")) {
            throw new IllegalStateException("failed " + request);
        }
        return "ok " + request;
    }
}
