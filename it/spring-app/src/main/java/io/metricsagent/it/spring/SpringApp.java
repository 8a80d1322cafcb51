package io.metricsagent.it.spring;

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
 * and then the pool's own. Takes 4 connections through the proxy, prints what the pool reports
 * and how many times its constructor ran (twice under {@code -Dspring.objenesis.ignore=true}:
 * once for the pool, once for its proxy), then stays up to be scraped.
 */
@Configuration
public class SpringApp {

    private static final AtomicInteger INTERCEPTED = new AtomicInteger();

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
        System.out.println("pool cglib=" + AopUtils.isCglibProxy(pool) + " constructed=" + ConnectionPool.constructed()
                + " intercepted=" + (INTERCEPTED.get() > 0) + " " + pool.report());
        System.out.println("ready");
        new CountDownLatch(1).await();
    }
}
