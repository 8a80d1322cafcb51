package io.metricsagent.agent;

import io.metricsagent.agent.collectors.HostSampler;
import io.metricsagent.agent.collectors.JvmCollectors;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.export.MetricsServer;
import io.metricsagent.agent.export.Pusher;
import io.metricsagent.agent.report.AgentLog;
import io.metricsagent.agent.report.AgentProperties;
import io.metricsagent.agent.report.FailurePolicy;
import io.metricsagent.agent.weaving.LoadedClasses;
import io.metricsagent.agent.weaving.MeteredClassTransformer;
import io.metricsagent.agent.weaving.Weaving;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Wires the agent once the bridge is on the bootstrap path (a separate class from
 * {@link MetricsAgent}, so that nothing here links before that).
 */
final class AgentRuntime {

    private static final String HTTP_SERVER_MODULE = "jdk.httpserver";
    /**
     * How long after the application's main class has loaded (attached: after the warm-up) the
     * endpoint starts. Starting it loads and runs the JDK's HTTP server and the exporter, some 40
     * ms of CPU that, on a small machine, the application's own start would otherwise share (measured with it/bench/first_call.py: 20-30 ms of its time to
     * the first call); the first scrape comes seconds later anyway.
     */
    static final long ENDPOINT_DELAY_MILLIS = 300;
    /**
     * After that delay, the endpoint waits while the application still loads classes at a
     * start-up's pace (at least this many in a {@link #QUIET_STEP_MILLIS} step; Spring Boot loads
     * some 500), so that it, the JVM's and the host's collectors (some 70 ms of CPU) do not take
     * two cores from a long start-up; but no longer than {@link #QUIET_WAIT_MAX_MILLIS}.
     */
    static final int QUIET_LOADS = 20;
    static final long QUIET_STEP_MILLIS = 100;
    static final long QUIET_WAIT_MAX_MILLIS = 5000;

    private AgentRuntime() {}

    /**
     * Starts weaving a class of the agent's own into metrics nothing serves, on a thread of its
     * own, as soon as the bridge is on the bootstrap path: the weaver's classes, loaded there, are
     * what the application's first class to weave would otherwise load on its own thread.
     */
    static WarmUp warmUp() {
        WarmUp warmUp = new WarmUp();
        Thread thread = new Thread(warmUp, "metrics-warmup");
        thread.setDaemon(true);
        thread.start();
        return warmUp;
    }

    /** @param warmUp the weaver's warm-up, after which the endpoint starts */
    static void start(AgentOptions options, FailurePolicy policy, Instrumentation inst, WarmUp warmUp) {
        Agent agent = new Agent(options, inst);
        inst.addTransformer(new MeteredClassTransformer(agent.weaving), true);
        agent.watcher.start();
        // From premain: a JVM that ends before the start-up thread below has run still pushes.
        Pusher pusher = options.pushUrl() == null ? null : Pusher.start(options, new Registered(agent));
        // Thread names differ in their first 15 characters, all that /proc and top -H show.
        Thread starter = new Thread(new Starter(agent, pusher, policy), "metrics-start");
        starter.setDaemon(true);
        warmUp.then(starter);
        if (policy.attached()) {
            // Not on the Attach Listener thread, which the JVM's other attach clients wait for.
            Thread retransformer = new Thread(new Retransformer(agent.weaving, inst), "metrics-retransform");
            retransformer.setDaemon(true);
            retransformer.start();
        }
    }

    /** Weaves what the application loaded before the agent was attached. */
    private static final class Retransformer implements Runnable {
        private final Weaving weaving;
        private final Instrumentation inst;

        Retransformer(Weaving weaving, Instrumentation inst) {
            this.weaving = weaving;
            this.inst = inst;
        }

        @Override
        public void run() {
            try {
                int classes = LoadedClasses.retransform(weaving, inst, LoadedClasses.toWeave(weaving));
                AgentProperties.publish(AgentProperties.RETRANSFORMED, String.valueOf(classes));
            } catch (Throwable t) {
                AgentLog.warn("classes loaded before the attach could not be woven; those loaded from now on are", t);
            }
        }
    }

    // Classes, not lambdas: the first lambda bootstraps java.lang.invoke, on premain's clock.
    static final class WarmUp implements Runnable {
        private static final Object DONE = new Object();
        /** The thread to start when the warm-up is done, then {@link #DONE}. */
        private final AtomicReference<Object> next = new AtomicReference<>();

        @Override
        public void run() {
            try {
                MeteredClassTransformer.warmUp();
            } finally {
                Object after = next.getAndSet(DONE);
                if (after != null) {
                    startOrWarn((Thread) after);
                }
            }
        }

        /**
         * Starts {@code thread} when the warm-up is done: from the warm-up's own thread as it ends,
         * or now when it has ended. Premain does not wait for a thread's start, some 2 ms, for
         * work that waits for the warm-up anyway.
         */
        void then(Thread thread) {
            if (!next.compareAndSet(null, thread)) {
                thread.start();
            }
        }

        private static void startOrWarn(Thread thread) {
            try {
                thread.start();
            } catch (Throwable t) {
                AgentLog.warn("metrics could not be set up, the application runs without them", t);
            }
        }
    }

    private static final class Starter implements Runnable {
        private final Agent agent;
        private final Pusher pusher;
        private final FailurePolicy policy;

        Starter(Agent agent, Pusher pusher, FailurePolicy policy) {
            this.agent = agent;
            this.pusher = pusher;
            this.policy = policy;
        }

        @Override
        public void run() {
            startInBackground(agent, pusher, policy);
        }
    }

    /** What a push sends, its metrics registered. */
    private static final class Registered implements Supplier<PrometheusRegistry> {
        private final Agent agent;

        Registered(Agent agent) {
            this.agent = agent;
        }

        @Override
        public PrometheusRegistry get() {
            agent.registerMetrics();
            if (agent.options.jvmMetrics() && JvmCollectors.available()) {
                agent.registerJvmMetrics();
            }
            return agent.served();
        }
    }

    /** Returns once the application's start-up has quieted (see {@link #QUIET_LOADS}). */
    private static void awaitQuietStart(Weaving weaving, boolean attached) throws InterruptedException {
        long waited = 0;
        while (!attached && !weaving.launched() && waited < QUIET_WAIT_MAX_MILLIS) {
            Thread.sleep(QUIET_STEP_MILLIS);
            waited += QUIET_STEP_MILLIS;
        }
        Thread.sleep(ENDPOINT_DELAY_MILLIS);
        waited = 0;
        int before = weaving.classesLoading();
        while (waited < QUIET_WAIT_MAX_MILLIS) {
            Thread.sleep(QUIET_STEP_MILLIS);
            waited += QUIET_STEP_MILLIS;
            int now = weaving.classesLoading();
            if (now - before < QUIET_LOADS) {
                return;
            }
            before = now;
        }
    }

    private static void startInBackground(Agent agent, Pusher pusher, FailurePolicy policy) {
        AgentOptions options = agent.options;
        boolean jvmMetrics = options.jvmMetrics();
        try {
            boolean serve = ModuleLayer.boot().findModule(HTTP_SERVER_MODULE).isPresent();
            if (!serve) {
                policy.failed("metrics endpoint not started: this JVM runs without the " + HTTP_SERVER_MODULE
                        + " module (as a modular application started with -m does); add --add-modules "
                        + HTTP_SERVER_MODULE, null, "metrics are still recorded");
            }
            if (jvmMetrics && !JvmCollectors.available()) {
                jvmMetrics = false;
                AgentLog.info("JVM metrics are off: this JVM runs without the " + JvmCollectors.MODULE + " module (as a"
                        + " modular application started with -m may); add --add-modules " + JvmCollectors.MODULE);
            }
            awaitQuietStart(agent.weaving, policy.attached());
            if (serve) {
                MetricsServer.start(options, agent.served(), agent.statusPage(), policy, agent.authFailures);
            }
            agent.registerMetrics();
            if (pusher != null) {
                pusher.startPeriodic();
            }
        } catch (Throwable t) {
            AgentLog.warn("metrics could not be set up, the application runs without them", t);
            return;
        }
        if (jvmMetrics) {
            // After the endpoint and the agent's families: some 70 ms of CPU (java.lang.management
            // set up, the collectors built), which the first scrape need not wait for.
            agent.registerJvmMetrics();
        }
        if (options.hostMetrics()) {
            HostSampler.start(agent.metrics.registry(), options.intervalSeconds(), agent.hostFailures);
        }
    }
}
