package io.metricsagent.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Run once in a fork's setup, through the benchmark's filters: whether a span was current inside the servlet. */
public final class SpanProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    boolean traced;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        traced = Forks.inSpan();
    }
}
