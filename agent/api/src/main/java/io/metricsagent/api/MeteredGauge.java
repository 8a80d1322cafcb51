package io.metricsagent.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exposes the value of a no-argument method returning a number (or {@code boolean}) as a gauge,
 * read when {@code /metrics} is scraped. Without the agent the annotation does nothing.
 *
 * <pre>{@code
 * @MeteredGauge(name = "database_connections_active",
 *               help = "Number of active database connections",
 *               labels = {"database=payment_db", "pool=main_pool"})
 * int active() { return active.get(); }
 * }</pre>
 *
 * <p>On an instance method the agent reads every live instance of the class (it holds them
 * weakly, so they are still collected); instances whose labels are equal are summed. A static
 * method is read once per scrape. A method that throws, or returns {@code null}, is left out of
 * that scrape.
 *
 * <p>A label of an instance method may be read from the instance at each scrape: a value
 * {@code this} or {@code this.path} (getters {@code getX()}, {@code isX()}, {@code x()}, or
 * fields, private ones and a superclass's included) gives one series per distinct value, the
 * instances that share it summed:
 *
 * <pre>{@code
 * @MeteredGauge(name = "pool_connections_active", labels = {"database=payment_db", "pool=this.name"})
 * int active() { return active.get(); }
 * }</pre>
 *
 * A value that cannot be read ({@code null}, a getter that throws, a path that leads nowhere) is
 * {@code unknown}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MeteredGauge {

    /** The metric name, e.g. {@code database_connections_active}. */
    String name();

    /** The metric's help text. */
    String help() default "";

    /**
     * Labels as {@code key=value} pairs; every gauge of one name must use the same keys. A value
     * {@code this} or starting {@code this.} is read from the instance; any other is a constant.
     */
    String[] labels() default {};
}
