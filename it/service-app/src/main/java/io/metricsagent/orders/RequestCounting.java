package io.metricsagent.orders;

import io.metricsagent.it.truth.Ledger;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Counts each request once, by what the client asked and got: the outermost filter, on the
 * request's first dispatch only (neither the forward nor the error dispatch to {@code /error}).
 * Its route is the pattern Spring MVC matched last, read when the request dispatch ends, as
 * Spring's own observation reports it: a forward's is the pattern of the handler it reached.
 * A request no handler mapping matched has the servlet mapping's pattern.
 */
@Configuration
public class RequestCounting {

    @Bean
    FilterRegistrationBean<Filter> countingFilter(Ledger ledger) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Counting(ledger));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    private static final class Counting implements Filter {

        private final Ledger ledger;

        Counting(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ledger.requestStarted();
            Throwable escaped = null;
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException | RuntimeException e) {
                escaped = e;
                throw e;
            } finally {
                // Tomcat answers what escapes with a 500 (through /error) after this filter returned.
                int status = escaped == null ? ((HttpServletResponse) response).getStatus() : 500;
                HttpServletRequest http = (HttpServletRequest) request;
                Object pattern = http.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                String route = pattern != null ? pattern.toString() : http.getHttpServletMapping().getPattern();
                ledger.requestEnded(http.getMethod(), route, status, handlersException(escaped));
            }
        }

        /** DispatcherServlet wraps what a handler throws in a ServletException. */
        private static Throwable handlersException(Throwable escaped) {
            return escaped instanceof ServletException wrapper && wrapper.getRootCause() != null ? wrapper.getRootCause() : escaped;
        }
    }
}
