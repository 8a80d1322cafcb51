package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring bean with {@code @MeteredGauge} accessors, proxied by CGLIB ({@code it/spring-app}).
 * By default Spring creates the proxy without running a constructor; with
 * {@code -Dspring.objenesis.ignore=true} it runs the pool's constructor for the proxy too, so the
 * agent sees a second instance. Either way the gauges are the pool's own values: the public
 * accessor the proxy forwards to the pool is not counted twice, and the private one the proxy
 * cannot forward does not add the proxy's unused fields. The {@code @Configuration} class, which
 * Spring only ever creates as its CGLIB subclass, is still read.
 */
class SpringProxyIT {

    static Stream<Arguments> jdksAndObjenesis() {
        return Jdks.all().flatMap(jdk -> Stream.of(false, true).map(ignore -> Arguments.of(jdk.get()[0], jdk.get()[1], ignore)));
    }

    @ParameterizedTest(name = "{0} spring.objenesis.ignore={2}")
    @MethodSource("jdksAndObjenesis")
    void gaugesOfAProxiedBeanAreThePoolsOwnValues(String jdk, Path java, boolean ignoreObjenesis) throws Exception {
        Jdks.assumeInstalled(jdk, java);
        AgentJvm jvm = AgentJvm.on(java).agent("port=0", "host=127.0.0.1")
                .main(Artifacts.classPath(Artifacts.springDir(), "spring-app"), "io.metricsagent.it.spring.SpringApp");
        if (ignoreObjenesis) {
            jvm.flags("-Dspring.objenesis.ignore=true");
        }
        try (JvmProcess app = jvm.start()) {
            app.awaitStdout("^ready$");
            assertEquals(List.of("pool cglib=true constructed=" + (ignoreObjenesis ? 2 : 1) + " intercepted=5 active=4 idle=6",
                    "ready"), app.stdout(), app::describe);

            Exposition m = Exposition.scrape(app.metricsPort());
            assertEquals(4, m.gauge("spring_pool_active", "pool=spring"));
            assertEquals(6, m.gauge("spring_pool_idle", "pool=spring"));
            assertEquals(5, m.gauge("spring_intercepted_calls"));
            assertEquals(0, m.counter("metrics_agent_internal_errors_total", "component=gauge"));
        }
    }
}
