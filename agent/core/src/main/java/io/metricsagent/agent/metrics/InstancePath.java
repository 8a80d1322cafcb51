package io.metricsagent.agent.metrics;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A gauge label's path into the instance, such as {@code poolName} of {@code this.poolName},
 * resolved once per class by reflection and followed at scrape time, never on the application's
 * threads. Each step is what a rule's path step is: a no-argument getter {@code getX()},
 * {@code isX()} or {@code x()}, else a field {@code x}, looked for on the type the step before
 * declares and its supertypes. Unlike a woven path, which links with the woven class's own
 * access, it reads private members too, a superclass's as well: HikariCP's pool keeps its name
 * in a field of its package-private superclass.
 *
 * <p>Held where the accessors are, on the instance's class ({@link ClassValue}): the members it
 * holds pin their classes, and those are the instance's class and the types it reaches.
 */
final class InstancePath {

    private final AccessibleObject[] steps;

    private InstancePath(AccessibleObject[] steps) {
        this.steps = steps;
    }

    /**
     * @param names the steps after {@code this}; none reads the instance itself
     * @throws IllegalArgumentException naming the step that does not resolve
     */
    static InstancePath resolve(Class<?> type, List<String> names) {
        AccessibleObject[] steps = new AccessibleObject[names.size()];
        Class<?> on = type;
        for (int i = 0; i < steps.length; i++) {
            String name = names.get(i);
            if (on.isPrimitive() || on.isArray()) {
                throw new IllegalArgumentException("'" + name + "' cannot be read from a " + on.getTypeName());
            }
            AccessibleObject step = find(on, name);
            if (step == null) {
                throw new IllegalArgumentException("no getter or field '" + name + "' on " + on.getName());
            }
            steps[i] = step;
            on = step instanceof Method ? ((Method) step).getReturnType() : ((Field) step).getType();
        }
        return new InstancePath(steps);
    }

    /** The value at the end of the path, or {@code null} when a step meets {@code null}. */
    Object read(Object instance) throws ReflectiveOperationException {
        Object value = instance;
        for (AccessibleObject step : steps) {
            if (value == null) {
                return null;
            }
            value = step instanceof Method ? ((Method) step).invoke(value) : ((Field) step).get(value);
        }
        return value;
    }

    private static AccessibleObject find(Class<?> type, String name) {
        List<Class<?>> types = supertypes(type);
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String getter : new String[] {"get" + capitalized, "is" + capitalized, name}) {
            for (Class<?> declaring : types) {
                Method method;
                try {
                    method = declaring.getDeclaredMethod(getter);
                } catch (NoSuchMethodException | LinkageError | SecurityException e) {
                    continue;
                }
                if (method.getReturnType() != void.class && usable(method)) {
                    return method;
                }
            }
        }
        for (Class<?> declaring : types) {
            try {
                Field field = declaring.getDeclaredField(name);
                if (usable(field)) {
                    return field;
                }
            } catch (NoSuchFieldException | LinkageError | SecurityException e) {
                // looked for further up
            }
        }
        return null;
    }

    // A module that does not open its package (the JDK's) refuses its private members: a public
    // one of an interface or superclass further up may serve instead.
    private static <T extends AccessibleObject & Member> boolean usable(T member) {
        return !Modifier.isStatic(member.getModifiers()) && member.trySetAccessible();
    }

    /** The type, its superclasses, then every interface they implement; {@link Object} has no getter a path could mean. */
    private static List<Class<?>> supertypes(Class<?> type) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            types.add(c);
        }
        for (int i = 0; i < types.size(); i++) {
            for (Class<?> implemented : types.get(i).getInterfaces()) {
                if (!types.contains(implemented)) {
                    types.add(implemented);
                }
            }
        }
        return types;
    }
}
