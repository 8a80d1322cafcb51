package io.metricsagent.agent;

import com.sun.net.httpserver.HttpHandler;
import io.metricsagent.agent.collectors.AgentHealth;
import io.metricsagent.agent.collectors.JvmCollectors;
import io.metricsagent.agent.config.AgentOptions;
import io.metricsagent.agent.config.ConfigWatcher;
import io.metricsagent.agent.export.ConstantLabels;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.status.StatusPage;
import io.metricsagent.agent.weaving.MeteringRules;
import io.metricsagent.agent.weaving.Weaving;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent in this JVM, as one object: its options, its metrics and the registry that serves
 * them, what the weaver has in force and has woven ({@link Weaving}), the watch on the config file,
 * and the counters of its own failures. Built once, by premain or agentmain, and each part handed
 * to what needs it; nothing of it is static, so a test builds one of its own. It is also what a
 * good reload of the config file hands its rules to (a class of its own would be one more for
 * premain to load).
 */
final class Agent implements ConfigWatcher.RulesInForce {

    final AgentOptions options;
    final AgentMetrics metrics;
    final Weaving weaving;
    final ConfigWatcher watcher;
    /** JVM collectors that could not be built, and scrapes that left one out because it threw. */
    final LongAdder jvmFailures = new LongAdder();
    /** Times the host could not be read. */
    final LongAdder hostFailures = new LongAdder();
    /** Requests the endpoint refused for the basic-auth credentials they gave. */
    final LongAdder authFailures = new LongAdder();
    /** When premain or agentmain began, for the status page's uptime. */
    private final long startedAtMillis = System.currentTimeMillis();
    private final Instrumentation inst;
    private PrometheusRegistry served;
    private boolean registered;
    private boolean jvmRegistered;

    Agent(AgentOptions options, Instrumentation inst) {
        this.options = options;
        this.inst = inst;
        metrics = new AgentMetrics(options);
        weaving = new Weaving(metrics);
        weaving.use(options.rules(), options.gauges(), options.presets());
        watcher = new ConfigWatcher(options, this);
    }

    /** What the endpoint serves and a push sends: the registry, with the constant labels if there are any. */
    synchronized PrometheusRegistry served() {
        if (served == null) {
            served = ConstantLabels.served(metrics.registry(), options.labels());
        }
        return served;
    }

    /** The page at the endpoint's {@code /} and {@code /-/status}, showing what this agent has in force and has recorded. */
    HttpHandler statusPage() {
        return StatusPage.of(options, metrics, weaving.rules(), watcher, served(), startedAtMillis);
    }

    /**
     * Puts the agent's metrics on its registry, once: from the start-up thread, or first from the
     * push at exit of a JVM that ends before that thread got there.
     */
    synchronized void registerMetrics() {
        if (!registered) {
            metrics.register(metrics.registry());
            metrics.registry().register(new AgentHealth(metrics, weaving, watcher, jvmFailures, hostFailures,
                    options.authUser() == null ? null : authFailures));
            registered = true;
        }
    }

    /** The JVM's metrics on the registry, once: from the start-up thread, or first from the push at exit. */
    synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            jvmRegistered = true;
            JvmCollectors.register(metrics.registry(), jvmFailures);
        }
    }

    /** A good reload of the config file: its rules and gauges in force beside the presets', the classes they may concern woven again. */
    @Override
    public String replace(AgentOptions next) {
        MeteringRules.Change change = weaving.replace(inst, next.rules(), next.gauges());
        return "rules and gauges " + change.added + " added, " + change.removed + " removed; " + change.classes
                + " loaded classes retransformed";
    }
}
