package io.metricsagent.legacy;

import io.metricsagent.legacy.web.AppService;
import io.metricsagent.legacy.web.BaseService;
import io.metricsagent.legacy.web.Request;
import io.metricsagent.legacy.web.RequestHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one command per stdin line and prints {@code done <line>} after it, so that a test knows
 * exactly which calls were made when:
 * <ul>
 *   <li>{@code charge <card|wallet|sandbox> <n> <amount>}: n charges through that gateway; the
 *       wallet gateway's class is loaded by the first wallet charge;</li>
 *   <li>{@code order <n>}: n orders placed, one cancelled without an item (it throws, and is caught
 *       here), and a health check;</li>
 *   <li>{@code account <n>}: n accounts opened and closed;</li>
 *   <li>{@code serve <n> <request>}: n requests through a three-level override chain
 *       ({@code AppService} over {@code HttpService} over {@code BaseService}); a request
 *       {@code fail} throws (caught here), {@code fail-recover} throws at the bottom and is turned
 *       into an answer in the middle;</li>
 *   <li>{@code serve-threads <n> <request>}: the same, one request on each of n threads at once:
 *       virtual threads where the JVM has them (a request {@code sleep} then moves between
 *       carrier threads), platform threads otherwise.</li>
 *   <li>{@code request <n> <method> <status> <route> <statement> <database>}: n requests to a
 *       {@code RequestHandler}, {@code -} standing for no route or no statement; the statement is
 *       one SQL keyword behind a comment and a parenthesis, the database a JDBC URL's subprotocol;
 *       a status of 500 or more throws (caught here).</li>
 * </ul>
 */
public final class LegacyMain {

    private LegacyMain() {}

    public static void main(String[] args) throws Exception {
        Gateway card = new CardGateway();
        Gateway sandbox = new SandboxGateway();
        Gateway wallet = null;
        OrderEndpoint orders = new OrderEndpoint();
        AccountHandlers accounts = new AccountHandlers();
        BaseService web = new AppService();
        RequestHandler handler = new RequestHandler();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" ");
            int n = Integer.parseInt(words[1 + (words[0].equals("charge") ? 1 : 0)]);
            switch (words[0]) {
                case "charge":
                    Gateway gateway;
                    if (words[1].equals("wallet")) {
                        if (wallet == null) {
                            wallet = (Gateway) Class.forName("io.metricsagent.legacy.WalletGateway")
                                    .getDeclaredConstructor().newInstance();
                        }
                        gateway = wallet;
                    } else {
                        gateway = words[1].equals("card") ? card : sandbox;
                    }
                    double amount = Double.parseDouble(words[3]);
                    for (int i = 0; i < n; i++) {
                        gateway.charge("customer-" + i, amount);
                    }
                    break;
                case "order":
                    for (int i = 0; i < n; i++) {
                        orders.place("item-" + i);
                    }
                    try {
                        orders.cancel("");
                    } catch (IllegalArgumentException expected) {
                        // the handler's own failure, counted by the agent
                    }
                    orders.health();
                    break;
                case "account":
                    for (int i = 0; i < n; i++) {
                        accounts.open(" owner-" + i);
                        accounts.close(" owner-" + i);
                    }
                    break;
                case "serve":
                    for (int i = 0; i < n; i++) {
                        try {
                            web.service(words[2]);
                        } catch (IllegalStateException expected) {
                            // the service's own failure, counted by the agent
                        }
                    }
                    break;
                case "serve-threads":
                    serveOnThreads(web, n, words[2]);
                    break;
                case "request":
                    Request request = new Request(words[2], words[4].equals("-") ? null : words[4],
                            words[5].equals("-") ? null : "-- " + line + "\n (" + words[5] + " 1)",
                            "jdbc:" + words[6] + ":mem:orders", Integer.parseInt(words[3]));
                    for (int i = 0; i < n; i++) {
                        try {
                            handler.handle(request);
                        } catch (RequestHandler.HandlerException expected) {
                            // the handler's own failure, counted by the agent
                        }
                    }
                    break;
                default:
                    System.out.println("unknown command " + line);
            }
            Commands.done();
            System.out.println("done " + line);
        }
    }

    private static void serveOnThreads(BaseService web, int n, String request) throws Exception {
        Runnable serve = () -> {
            try {
                web.service(request);
            } catch (IllegalStateException expected) {
                // the service's own failure, counted by the agent
            }
        };
        // Thread.ofVirtual() is Java 21; this class is compiled for older JVMs too.
        Method startVirtual = null;
        Object virtual = null;
        try {
            virtual = Thread.class.getMethod("ofVirtual").invoke(null);
            startVirtual = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        } catch (NoSuchMethodException e) {
            // platform threads, then
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread thread = startVirtual != null ? (Thread) startVirtual.invoke(virtual, serve) : new Thread(serve);
            if (startVirtual == null) {
                thread.start();
            }
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
