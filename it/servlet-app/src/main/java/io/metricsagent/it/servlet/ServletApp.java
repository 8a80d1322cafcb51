package io.metricsagent.it.servlet;

import io.metricsagent.it.truth.Console;
import io.metricsagent.it.truth.Ledger;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * javax Servlet 4 servlets on embedded Tomcat 9, on 127.0.0.1:
 * {@code java -cp target/servlet-app-*.jar:target/lib/* io.metricsagent.it.servlet.ServletApp [port [seconds]]}
 * (port 0, the default, takes a free one; it prints {@code listening on <port>}; after
 * {@code seconds}, if not 0, the JVM exits). Its mappings:
 * <ul>
 *   <li>{@code /hello} (exact): GET 200;</li>
 *   <li>{@code /items/*} (prefix): GET {@code /items/1} to {@code /items/3} 200, any other item
 *       404 by {@code sendError}; POST {@code /items} 201;</li>
 *   <li>{@code *.do} (extension): GET 200;</li>
 *   <li>{@code /fail} (exact): GET throws {@code IllegalStateException}, which Tomcat answers with a 500;</li>
 *   <li>{@code /forward} (exact): forwards to {@code /hello}, a second dispatch of the same request;</li>
 *   <li>{@code /async} (exact): GET starts asynchronous processing, whose thread dispatches the
 *       request back to the servlet (an {@code ASYNC} dispatch), which answers 200;</li>
 *   <li>{@code /} (the default servlet): every other path, 404 by {@code sendError}.</li>
 * </ul>
 * Every 404 and every exception is answered by the error page {@code /error-page}, which Tomcat
 * dispatches to (an {@code ERROR} dispatch) after the request's own has returned, keeping the status.
 * A filter on every request counts it, at the dispatch that answers it, by method, the mapping that took it
 * ({@code HttpServletRequest.getHttpServletMapping().getPattern()}), status and escaped exception;
 * {@code truth} on stdin prints the counts (see {@link Ledger}), {@code exit} ends the JVM.
 */
public final class ServletApp {

    private static final Set<String> ITEMS = Set.of("/1", "/2", "/3");

    private ServletApp() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Ledger ledger = new Ledger();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("servlet-app").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        map(context, "/hello", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().print("hello");
            }
        });
        map(context, "/items/*", new ItemsServlet());
        map(context, "*.do", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().print("report " + request.getServletPath());
            }
        });
        map(context, "/fail", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                throw new IllegalStateException("the servlet of /fail always fails");
            }
        });
        map(context, "/forward", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response)
                    throws IOException, ServletException {
                request.getRequestDispatcher("/hello").forward(request, response);
            }
        });
        Wrapper async = map(context, "/async", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getDispatcherType() == DispatcherType.ASYNC) {
                    response.getWriter().print("later");
                    return;
                }
                AsyncContext later = request.startAsync();
                later.start(later::dispatch);
            }
        });
        async.setAsyncSupported(true);
        map(context, "/error-page", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().print("error " + response.getStatus());
            }
        });
        context.addErrorPage(errorPage(404, null));
        context.addErrorPage(errorPage(0, Throwable.class.getName()));
        map(context, "/", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.sendError(404, "no such page");
            }
        });
        FilterDef counting = new FilterDef();
        counting.setFilterName("counting");
        counting.setFilter(new Counting(ledger));
        counting.setAsyncSupported("true");
        context.addFilterDef(counting);
        FilterMap everyRequest = new FilterMap();
        everyRequest.setFilterName("counting");
        everyRequest.setDispatcher(DispatcherType.REQUEST.name());
        everyRequest.setDispatcher(DispatcherType.ASYNC.name());
        everyRequest.addURLPatternDecoded("/*");
        context.addFilterMap(everyRequest);
        tomcat.start();
        System.out.println("listening on " + connector.getLocalPort());
        Console.exitAfter(args.length > 1 ? Long.parseLong(args[1]) : 0);
        Console.serve(Map.of("truth", words -> ledger.print(System.out)));
    }

    private static ErrorPage errorPage(int status, String exceptionType) {
        ErrorPage page = new ErrorPage();
        page.setLocation("/error-page");
        if (exceptionType != null) {
            page.setExceptionType(exceptionType);
        } else {
            page.setErrorCode(status);
        }
        return page;
    }

    private static Wrapper map(Context context, String pattern, HttpServlet servlet) {
        Wrapper wrapper = Tomcat.addServlet(context, pattern, servlet);
        context.addServletMappingDecoded(pattern, pattern);
        return wrapper;
    }

    private static final class ItemsServlet extends HttpServlet {

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!ITEMS.contains(request.getPathInfo())) {
                response.sendError(404, "no item " + request.getPathInfo());
                return;
            }
            response.getWriter().print("item " + request.getPathInfo().substring(1));
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getInputStream().readAllBytes();
            response.setStatus(201);
        }
    }

    /** The application's outermost code of every request, on its REQUEST and ASYNC dispatches. */
    private static final class Counting implements Filter {

        private final Ledger ledger;

        Counting(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ledger.requestStarted();
            Exception escaped = null;
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException | RuntimeException e) {
                escaped = e;
                throw e;
            } finally {
                if (escaped == null && request.isAsyncStarted()) {
                    // Answered by a later dispatch, which counts it.
                    ledger.requestHandedOn();
                } else {
                    // What escapes, Tomcat answers with a 500 after this filter has returned.
                    int status = escaped == null ? ((HttpServletResponse) response).getStatus() : 500;
                    HttpServletRequest http = (HttpServletRequest) request;
                    ledger.requestEnded(http.getMethod(), http.getHttpServletMapping().getPattern(), status, escaped);
                }
            }
        }
    }
}
