package io.metricsagent.agent.weaving;

import static io.metricsagent.agent.weaving.WeavingSupport.invoke;
import static io.metricsagent.agent.weaving.WeavingSupport.scrapeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metricsagent.agent.Stderr;
import io.metricsagent.agent.description.LabelSource;
import io.metricsagent.agent.description.MeteredRecipe;
import io.metricsagent.agent.description.MethodRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A rule with {@code histogram:}: one histogram named exactly, its labels the call's outcome and exception as it names them. */
class HistogramRuleTest {

    @RegisterExtension
    final Stderr stderr = new Stderr();

    private final Weaving weaving = WeavingSupport.newWeaving();

    @Test
    void oneHistogramWithTheOutcomeAndExceptionAsTheRuleNamesThem() throws Throwable {
        weaving.rules.use(List.of(new MethodRule("t.yml line 1",
                new MethodRule.Selection(ReflectiveTask.class.getName(), null, null, "run", List.of(), List.of()),
                MeteredRecipe.histogram("test_task_run_seconds").help("Runs").buckets(new double[] {1})
                        .label("code_namespace", "this.method.declaringClass.name")
                        .label("code_function", "this.method.name")
                        .label("outcome", LabelSource.outcome("SUCCESS", "ERROR"))
                        .label("exception", LabelSource.exception("none"))
                        .build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null)));
        Class<?> woven = WeavingSupport.weaveAndDefine(weaving, ReflectiveTask.class.getName());
        ReflectiveTask.Jobs jobs = new ReflectiveTask.Jobs();
        Object tidy = woven.getConstructor(Object.class, String.class).newInstance(jobs, "tidy");
        Object fail = woven.getConstructor(Object.class, String.class).newInstance(jobs, "fail");
        invoke(woven.getMethod("run"), tidy);
        invoke(woven.getMethod("run"), tidy);
        assertThrows(UnsupportedOperationException.class, () -> invoke(woven.getMethod("run"), fail));

        String jobsClass = ReflectiveTask.Jobs.class.getName();
        assertEquals(""
                + "# HELP test_task_run_seconds Runs\n"
                + "# TYPE test_task_run_seconds histogram",
                scrapeLines(weaving, "# ", "test_task_run"));
        // As every family with an exception label: a combination's success series from its first call.
        assertEquals(""
                + "test_task_run_seconds_count{code_function=\"fail\",code_namespace=\"" + jobsClass
                + "\",exception=\"UnsupportedOperationException\",outcome=\"ERROR\"} 1\n"
                + "test_task_run_seconds_count{code_function=\"fail\",code_namespace=\"" + jobsClass
                + "\",exception=\"none\",outcome=\"SUCCESS\"} 0\n"
                + "test_task_run_seconds_count{code_function=\"tidy\",code_namespace=\"" + jobsClass
                + "\",exception=\"none\",outcome=\"SUCCESS\"} 2",
                scrapeLines(weaving, "test_task_run_seconds_count"));
    }

    @Test
    void aHistogramIsNamedInSeconds() {
        weaving.rules.use(List.of(new MethodRule("t.yml line 1",
                new MethodRule.Selection(ReflectiveTask.class.getName(), null, null, "run", List.of(), List.of()),
                MeteredRecipe.histogram("test_task_runs").build(), null, List.of(), MethodRule.Nesting.OUTERMOST, null)));
        String name = ReflectiveTask.class.getName();
        assertNull(ClassWeaver.weave(weaving, getClass().getClassLoader(), name, WeavingSupport.classBytes(name)));
        assertEquals("[metrics-agent] the rule at t.yml line 1 does not meter " + ReflectiveTask.class.getName()
                + ".run(): histogram 'test_task_runs' is not a metric name ending in _seconds"
                + " ([a-zA-Z][a-zA-Z0-9_]*_seconds): it observes durations in seconds\n", stderr.text());
        assertEquals("", scrapeLines(weaving, "test_task_runs"));
    }
}
