package io.metricsagent.legacy.web;

/** Answers a {@link Request}; a status of 500 or more is a failure, thrown wrapped as a framework wraps it. */
public class RequestHandler {

    /** What the framework wraps a handler's failure in. */
    public static final class HandlerException extends RuntimeException {
        HandlerException(Throwable cause) {
            super(cause);
        }
    }

    public void handle(Request request) {
        if (request.getStatus() >= 500) {
            throw new HandlerException(new IllegalStateException("failed " + request.getRoute()));
        }
    }
}
