package io.metricsagent.it.spring;

import io.metricsagent.api.MeteredGauge;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A pool bean proxied by CGLIB, as {@code @Transactional}, {@code @Cacheable} or any aspect on a
 * class proxies it: an auto-proxy creator wraps it in a subclass whose methods run an interceptor
 * and then the pool's own. Takes 4 connections through the proxy, prints how many times the
 * pool's constructor ran (twice under {@code -Dspring.objenesis.ignore=true}: once for the pool,
 * once for its proxy), how many calls went through the proxy and what the pool reports, then
 * stays up to be scraped.
 */
@Configuration
public class SpringApp {

    private static final AtomicInteger INTERCEPTED = new AtomicInteger();

    /**
     * Spring creates this class only as its CGLIB subclass ({@code @Configuration} enhancement):
     * that instance is the object itself, not a proxy, and is read.
     */
    @MeteredGauge(name = "spring_intercepted_calls", help = "Calls through the pool's proxy")
    public int intercepted() {
        return INTERCEPTED.get();
    }

    @Bean
    public ConnectionPool pool() {
        return new ConnectionPool();
    }

    @Bean
    public MethodInterceptor counting() {
        return invocation -> {
            INTERCEPTED.incrementAndGet();
            return invocation.proceed();
        };
    }

    @Bean
    public static BeanNameAutoProxyCreator proxies() {
        BeanNameAutoProxyCreator proxies = new BeanNameAutoProxyCreator();
        proxies.setBeanNames("pool");
        proxies.setInterceptorNames("counting");
        proxies.setProxyTargetClass(true);
        return proxies;
    }

    public static void main(String[] args) throws InterruptedException {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(SpringApp.class);
        ConnectionPool pool = context.getBean(ConnectionPool.class);
        for (int i = 0; i < 4; i++) {
            pool.acquire();
        }
        String report = pool.report();
        System.out.println("pool cglib=" + AopUtils.isCglibProxy(pool) + " constructed=" + ConnectionPool.constructed()
                + " intercepted=" + INTERCEPTED.get() + " " + report);
        System.out.println("ready");
        new CountDownLatch(1).await();
    }
}
