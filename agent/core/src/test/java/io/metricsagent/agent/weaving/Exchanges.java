package io.metricsagent.agent.weaving;

/** Weaving fixture for label objects: exchanges served with a status, a method, an optional route, SQL, failures wrapped. */
public class Exchanges implements ExchangeHandler {

    /** What a framework wraps a handler's exception in. */
    public static final class Wrapped extends RuntimeException {
        public Wrapped(Throwable cause) {
            super(cause);
        }
    }

    public enum Verb { GET, POST, BREW }

    public static class Exchange {
        private final Verb verb;
        private final String route;
        private final String sql;
        private int status;
        private int statusReads;
        private final RuntimeException failure;

        public Exchange(Verb verb, String route, String sql, int status, RuntimeException failure) {
            this.verb = verb;
            this.route = route;
            this.sql = sql;
            this.status = status;
            this.failure = failure;
        }

        public Verb getVerb() {
            return verb;
        }

        public String getRoute() {
            return route;
        }

        public String getSql() {
            return sql;
        }

        public int getStatus() {
            statusReads++;
            return status;
        }

        /** How often the status was read: a label with a thrown text does not read it when the call throws. */
        public int statusReads() {
            return statusReads;
        }

        /** Throws the exchange's failure, if any: what the handler does. */
        public void fail() {
            if (failure != null) {
                status = 200; // as a container that answers 500 only after the handler threw
                throw failure;
            }
        }
    }

    @Override
    public void handle(Exchange exchange) {
        exchange.fail();
    }
}
