package io.metricsagent.it.isolation;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.metricsagent.api.MeteredPayment;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.util.concurrent.CountDownLatch;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Uses its own ByteBuddy, Prometheus client (default registry, its port from
 * {@code -Dio.prometheus.exporter.httpServer.port}; without the client's JVM instrumentation) and
 * JNA, makes ten metered payments, prints what each library answered and whether the JVM
 * instrumentation's classes can be loaded by their own name, and stays up to be scraped.
 */
public final class IsolatedApp {

    /** The C library, through the application's own JNA. */
    public interface CLibrary extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Object generated = new ByteBuddy()
                .subclass(Object.class)
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by the application's ByteBuddy"))
                .make()
                .load(IsolatedApp.class.getClassLoader())
                .getLoaded()
                .getDeclaredConstructor()
                .newInstance();
        System.out.println("bytebuddy " + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation()
                + " " + generated);

        Counter own = Counter.builder().name("application_own_total").help("The application's own counter").register();
        own.inc(3);
        HTTPServer server = HTTPServer.builder().buildAndStart();
        System.out.println("prometheus port=" + server.getPort());

        CLibrary c = Native.load("c", CLibrary.class);
        System.out.println("jna pid=" + c.getpid() + " version=" + Native.VERSION);

        // The agent's copy of the client's JVM instrumentation must not answer to the library's own name.
        String jvmInstrumentation = "io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics";
        try {
            Class.forName(jvmInstrumentation);
            System.out.println("visible " + jvmInstrumentation);
        } catch (ClassNotFoundException expected) {
            System.out.println("not visible " + jvmInstrumentation);
        }

        for (int i = 0; i < 10; i++) {
            pay(100.0 * i, i % 2 == 0 ? "gold" : "silver");
        }
        System.out.println("ready");
        new CountDownLatch(1).await();
    }

    @MeteredPayment(gateway = "isolated")
    static void pay(@MeteredPayment.Amount double amount, @MeteredPayment.UserTier String tier) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative amount");
        }
    }
}
