package io.metricsagent.agent.weaving;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Weaving fixture: a method run by reflection, as a scheduler runs one, its own exception rethrown. */
public class ReflectiveTask implements Runnable {

    private final Object target;
    private final Method method;

    public ReflectiveTask(Object target, String methodName) throws NoSuchMethodException {
        this.target = target;
        method = target.getClass().getMethod(methodName);
    }

    public Method getMethod() {
        return method;
    }

    @Override
    public void run() {
        try {
            method.invoke(target);
        } catch (InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the task runs. */
    public static class Jobs {
        public void tidy() {
        }

        public void fail() {
            throw new UnsupportedOperationException("no");
        }
    }
}
