package io.metricsagent.agent.weaving;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container's levels in miniature, for rules with call gates: a filter that calls a servlet,
 * which may forward to itself (an inner dispatch of the same request); requests that carry a
 * dispatcher type, an async flag and attributes, as a servlet request does.
 */
public class GatedCalls {

    public enum Dispatch { REQUEST, FORWARD, ERROR, ASYNC }

    public static class Request {
        public static final AtomicInteger DISPATCH_READS = new AtomicInteger();
        public Dispatch dispatch = Dispatch.REQUEST;
        public boolean async;
        public final Map<String, Object> attributes = new HashMap<>();

        public Dispatch getDispatcherType() {
            DISPATCH_READS.incrementAndGet();
            return dispatch;
        }

        public boolean isAsyncStarted() {
            return async;
        }

        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        public Object item(int index) {
            return "item" + index;
        }
    }

    public static class HttpRequest extends Request {
        public final String method;

        public HttpRequest(String method) {
            this.method = method;
        }

        public String getMethod() {
            return method;
        }
    }

    /** The outermost level, calling the servlet; {@code inside} runs at the bottom, as the application's code. */
    public String filter(Request request, String forwardTo, Runnable inside) {
        return servlet(request, forwardTo, inside);
    }

    /** Sets the route it matched, as Spring does on every match, and forwards when told. */
    public String servlet(Request request, String forwardTo, Runnable inside) {
        if (forwardTo != null) {
            request.attributes.put("org.example.route", forwardTo);
            Dispatch before = request.dispatch;
            request.dispatch = Dispatch.FORWARD;
            try {
                return servlet(request, null, inside);
            } finally {
                request.dispatch = before;
            }
        }
        inside.run();
        return "served";
    }
}
