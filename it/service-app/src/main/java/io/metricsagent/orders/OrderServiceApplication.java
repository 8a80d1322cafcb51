package io.metricsagent.orders;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.metricsagent.it.truth.Console;
import io.metricsagent.it.truth.Ledger;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The orders service: {@code java -jar service-app.jar --server.port=0 --server.address=127.0.0.1}
 * (Spring Boot's options; {@code --job.runs}, {@code --job.rate-ms} and {@code --job.initial-delay-ms},
 * by default the rate, set the job's). Prints
 * {@code ready} once its pool is full and {@code job finished after <n> runs} when the job stops.
 * Then one command per stdin line:
 * <ul>
 *   <li>{@code truth}: what it counted (see {@link Ledger}): {@code truth http <method> <route>
 *       <status> <error> <n>} per request, the route being Spring MVC's pattern that took the
 *       request ({@code -} when no handler did) and the error the handler's exception;
 *       {@code truth sql <operation> <error> <n>} per statement run, the error being the driver's
 *       exception or {@code -}; {@code truth job run <n>} and
 *       {@code truth job failure <exception> <n>}; then the pool as Hikari's own beans say,
 *       {@code truth pool orders total=.. active=.. idle=.. pending=.. max=.. min=..};</li>
 *   <li>{@code hold <k>}: k more connections borrowed and kept; {@code release}: given back;</li>
 *   <li>{@code exit}.</li>
 * </ul>
 */
@SpringBootApplication
@EnableScheduling
public class OrderServiceApplication {

    @Bean
    Ledger ledger() {
        return new Ledger();
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = SpringApplication.run(OrderServiceApplication.class, args);
        Ledger ledger = context.getBean(Ledger.class);
        HikariDataSource pool = context.getBean(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        System.out.println("ready");
        Console.serve(Map.of(
                "truth", words -> {
                    ledger.print(System.out);
                    System.out.println("truth " + describe(pool));
                },
                "hold", words -> {
                    for (int i = Integer.parseInt(words[1]); i > 0; i--) {
                        held.add(pool.getConnection());
                    }
                },
                "release", words -> {
                    for (Connection connection : held) {
                        connection.close();
                    }
                    held.clear();
                }));
    }

    private static String describe(HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        return "pool " + pool.getPoolName() + " total=" + bean.getTotalConnections()
                + " active=" + bean.getActiveConnections() + " idle=" + bean.getIdleConnections()
                + " pending=" + bean.getThreadsAwaitingConnection()
                + " max=" + pool.getHikariConfigMXBean().getMaximumPoolSize()
                + " min=" + pool.getHikariConfigMXBean().getMinimumIdle();
    }
}
