package io.metricsagent.it.jdkhttp;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.metricsagent.it.truth.Console;
import io.metricsagent.it.truth.Ledger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service on the JDK's own HTTP server, on 127.0.0.1:
 * {@code java -cp target/httpserver-app-*.jar:target/lib/* io.metricsagent.it.jdkhttp.HttpServerApp [port [seconds]]}
 * (port 0, the default, takes a free one; it prints {@code listening on <port>}; after
 * {@code seconds}, if not 0, the JVM exits). Its contexts:
 * <ul>
 *   <li>{@code /ping}: 200;</li>
 *   <li>{@code /health}: 200, from a handler written as a lambda, whose class is hidden;</li>
 *   <li>{@code /api/orders}: GET 200, POST 201 (the body read), any other method 405;</li>
 *   <li>{@code /api/fail}: the handler throws {@code IllegalStateException}, which the
 *       application's outermost filter answers with a 500, as a service would;</li>
 *   <li>{@code /}: every other path, 404.</li>
 * </ul>
 * That filter counts each request by method, context path, status and escaped exception;
 * {@code truth} on stdin prints the counts (see {@link Ledger}), {@code exit} ends the JVM.
 */
public final class HttpServerApp {

    private HttpServerApp() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Ledger ledger = new Ledger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        context(server, ledger, "/ping", new Ping());
        context(server, ledger, "/health", exchange -> respond(exchange, 200, "up"));
        context(server, ledger, "/api/orders", new Orders());
        context(server, ledger, "/api/fail", new Failing());
        context(server, ledger, "/", new NotFound());
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
        Console.exitAfter(args.length > 1 ? Long.parseLong(args[1]) : 0);
        Console.serve(Map.of("truth", words -> ledger.print(System.out)));
    }

    private static void context(HttpServer server, Ledger ledger, String path, HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(new Counting(ledger));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // The other handlers are classes: a lambda's class is hidden, which no agent is shown as it loads.

    private static final class Ping implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            respond(exchange, 200, "pong");
        }
    }

    private static final class Orders implements HttpHandler {
        private final AtomicInteger orders = new AtomicInteger();

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            switch (exchange.getRequestMethod()) {
                case "GET":
                    respond(exchange, 200, "[" + orders.get() + " orders]");
                    break;
                case "POST":
                    try (InputStream body = exchange.getRequestBody()) {
                        body.readAllBytes();
                    }
                    respond(exchange, 201, "order " + orders.incrementAndGet());
                    break;
                default:
                    exchange.getResponseHeaders().set("Allow", "GET, POST");
                    respond(exchange, 405, "GET or POST");
            }
        }
    }

    private static final class Failing implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) {
            throw new IllegalStateException("the handler of /api/fail always fails");
        }
    }

    private static final class NotFound implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            respond(exchange, 404, "no such page");
        }
    }

    /** The application's outermost code of every request: counts it, and answers what escaped with a 500. */
    private static final class Counting extends Filter {

        private final Ledger ledger;

        Counting(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            ledger.requestStarted();
            // Read before the answer: from JDK 25 the exchange's context is its connection's, which
            // the next request on the kept-alive connection replaces once this one is answered.
            String path = exchange.getHttpContext().getPath();
            RuntimeException escaped = null;
            try {
                chain.doFilter(exchange);
            } catch (RuntimeException e) {
                escaped = e;
                respond(exchange, 500, "internal error");
            } finally {
                ledger.requestEnded(exchange.getRequestMethod(), path, exchange.getResponseCode(), escaped);
            }
        }

        @Override
        public String description() {
            return "counts each request served";
        }
    }
}
