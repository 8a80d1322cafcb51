package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.GaugeRule;
import io.metricsagent.agent.description.MethodRule;
import io.metricsagent.agent.description.Preset;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.report.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the weaver works with and leaves behind, for one agent: the metrics it declares families
 * into, the configuration's rules and gauges in force, the classes it has woven, the numbers of
 * the nesting groups, the classes it saw load and those it could not weave. Built once at start
 * and handed to the transformer; a test builds one of its own.
 */
public final class Weaving {

    final AgentMetrics metrics;
    final ConfiguredGauges gauges = new ConfiguredGauges();
    final WovenClasses woven;
    final MeteringRules rules;
    final NestingGroups nesting = new NestingGroups();
    final PendingPresets presets = new PendingPresets();
    /** The configuration file's rules and gauges, which a reload replaces. */
    private List<MethodRule> fileRules = List.of();
    private List<GaugeRule> fileGauges = List.of();
    /** The rules and gauges of the presets put in force, after the file's: in a shared group the file's rule records. */
    private final List<MethodRule> presetRules = new ArrayList<>();
    private final List<GaugeRule> presetGauges = new ArrayList<>();
    private int presetsPutInForce;
    /** Classes offered to the transformer so far, a loose count (updates may be lost): how busy start-up still is. */
    private volatile int classesLoading;
    /** 0 until the launcher's class loads, 1 until the next class of a class loader (the main class), then 2. */
    private volatile int launch;
    private static final String LAUNCHER = "sun/launcher/LauncherHelper";
    private final AtomicLong failures = new AtomicLong();

    public Weaving(AgentMetrics metrics) {
        this.metrics = metrics;
        woven = new WovenClasses(metrics);
        rules = new MeteringRules(this);
    }

    /**
     * Puts the configuration file's rules and gauges in force, for classes woven from now on,
     * and the presets chosen once a class they select loads.
     */
    public synchronized void use(List<MethodRule> inForce, List<GaugeRule> gaugesInForce, List<Preset> chosen) {
        fileRules = List.copyOf(inForce);
        fileGauges = List.copyOf(gaugesInForce);
        presets.use(chosen);
        rules.use(allRules());
        gauges.use(allGauges());
    }

    /**
     * Puts these rules and gauges of the configuration file in force in place of the file's
     * before, the presets' staying as they are; see {@link MeteringRules#replace}.
     */
    public synchronized MeteringRules.Change replace(Instrumentation inst, List<MethodRule> next,
                                                     List<GaugeRule> nextGauges) {
        fileRules = List.copyOf(next);
        fileGauges = List.copyOf(nextGauges);
        return rules.replace(inst, allRules(), allGauges());
    }

    /**
     * Puts in force the pending preset this class's loading triggers, if one is, before the class
     * is woven: its file is read here, on the loading thread, the first time. A file that does not
     * read is one line, and the preset is left out.
     */
    void putInForcePresetOf(String internalName) {
        if (presets.selects(internalName)) {
            putInForce(internalName, null);
        }
    }

    /** Puts in force the pending preset of this method descriptor's start, which a loading class's pool holds. */
    void putInForcePresetTriggeredBy(String descriptor) {
        putInForce(null, descriptor);
    }

    private void putInForce(String internalName, String descriptor) {
        // Read under the lock: another loader's copy of the class, loading meanwhile, waits for
        // the preset to be in force rather than pass it by.
        synchronized (this) {
            Preset preset = internalName != null ? presets.takeByClass(internalName) : presets.takeByDescriptor(descriptor);
            if (preset == null) {
                return;
            }
            Preset.Contents contents;
            try {
                contents = preset.read();
            } catch (RuntimeException e) {
                AgentLog.info("preset " + preset.name() + " is left out: " + e.getMessage());
                // Its descriptors leave the pool walk.
                rules.use(allRules());
                return;
            }
            presetRules.addAll(contents.rules);
            presetGauges.addAll(contents.gauges);
            presetsPutInForce++;
            rules.use(allRules());
            gauges.use(allGauges());
        }
    }

    /** Counts a class offered to the transformer, and sees the application's main class come. */
    void classLoading(ClassLoader loader, String className) {
        classesLoading++;
        if (launch < 2) {
            if (loader == null && LAUNCHER.equals(className)) {
                launch = 1;
            } else if (loader != null && launch == 1) {
                launch = 2;
            }
        }
    }

    /**
     * Whether the application's main class has loaded: every agent's premain has then returned.
     * The launcher's class loads after the last premain, then the main class. Work the agent does
     * on its own threads waits for this: another agent whose premain is still installing its
     * transformers may not bear a class loaded meanwhile (the OpenTelemetry agent 2.31, listed
     * after this one, broke its own instrumentation for good about one start in three when the
     * host sampler's first classes loaded during its premain).
     */
    public boolean launched() {
        return launch == 2;
    }

    /** About how many classes have been offered to the transformer so far. */
    public int classesLoading() {
        return classesLoading;
    }

    /** How many presets have been put in force so far. */
    synchronized int presetsPutInForce() {
        return presetsPutInForce;
    }

    private List<MethodRule> allRules() {
        List<MethodRule> all = new ArrayList<>(fileRules);
        all.addAll(presetRules);
        return all;
    }

    /** The file's gauges, then the presets' but those whose name the file gives a gauge of its own. */
    private List<GaugeRule> allGauges() {
        List<GaugeRule> all = new ArrayList<>(fileGauges);
        Set<String> fileNames = new HashSet<>();
        for (GaugeRule gauge : fileGauges) {
            fileNames.add(gauge.name());
        }
        for (GaugeRule gauge : presetGauges) {
            if (!fileNames.contains(gauge.name())) {
                all.add(gauge);
            }
        }
        return all;
    }

    /** The configuration's rules in force, which a reload replaces. */
    public MeteringRules rules() {
        return rules;
    }

    /** How many methods are woven now. */
    public int instrumentedMethods() {
        return woven.methods();
    }

    /** How many classes could not be woven. */
    public long failures() {
        return failures.get();
    }

    /** Counts and reports a class left uninstrumented. */
    void failed(String className, Throwable t) {
        failures.incrementAndGet();
        AgentLog.warn(className + " is left uninstrumented", t);
    }
}
