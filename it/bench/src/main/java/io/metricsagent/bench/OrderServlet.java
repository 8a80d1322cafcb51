package io.metricsagent.bench;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The servlet at the end of {@link ServletRequestBenchmark}'s chain: a short text naming the order
 * asked for, written to the output stream as Spring MVC's message converters write a body (a
 * writer would cost each request the 8 KB encoder buffer a mock response does not recycle).
 */
public final class OrderServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] ORDER = "order ".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        ServletOutputStream body = response.getOutputStream();
        body.write(ORDER);
        body.print(request.getPathInfo().substring(1));
    }
}
