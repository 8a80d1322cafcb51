package io.metricsagent.reflection;

import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What reflection, and so a framework, reads of a class: one line per declaration, in a fixed order. */
final class Reflection {

    private Reflection() {}

    static List<String> describe(Class<?> type) {
        List<String> lines = new ArrayList<>();
        String name = type.getName();
        lines.add(name + " " + type.toGenericString() + " modifiers " + type.getModifiers());
        lines.add(name + " annotations " + Arrays.toString(type.getDeclaredAnnotations()));
        lines.add(name + " type parameters " + Arrays.stream(type.getTypeParameters())
                .map(t -> t.getName() + " " + Arrays.toString(t.getBounds()) + " " + annotated(t.getAnnotatedBounds()))
                .collect(Collectors.toList()));
        lines.add(name + " supertypes " + type.getGenericSuperclass() + " " + Arrays.toString(type.getGenericInterfaces()));
        lines.add(name + " nest " + type.getNestHost().getName() + " " + names(type.getNestMembers()));
        lines.add(name + " permits " + (type.getPermittedSubclasses() == null ? "-" : names(type.getPermittedSubclasses())));
        lines.add(name + " enclosed by " + type.getDeclaringClass() + " " + type.getEnclosingClass() + " "
                + type.getEnclosingMethod() + ", declares " + names(type.getDeclaredClasses()));
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                lines.add(name + " component " + component.getGenericType() + " " + component.getName() + " "
                        + Arrays.toString(component.getDeclaredAnnotations()) + " " + annotated(component.getAnnotatedType())
                        + " accessor " + component.getAccessor().getName());
            }
        }
        for (Field field : sorted(type.getDeclaredFields(), Field::toGenericString)) {
            lines.add(name + " field " + field.toGenericString() + " " + Arrays.toString(field.getDeclaredAnnotations())
                    + " " + annotated(field.getAnnotatedType()));
        }
        for (Constructor<?> constructor : sorted(type.getDeclaredConstructors(), Constructor::toGenericString)) {
            lines.add(name + " constructor " + executable(constructor));
        }
        for (Method method : sorted(type.getDeclaredMethods(), Method::toGenericString)) {
            lines.add(name + " method " + executable(method) + " default " + method.getDefaultValue());
        }
        return lines;
    }

    private static String executable(Executable executable) {
        List<String> parameters = new ArrayList<>();
        for (Parameter parameter : executable.getParameters()) {
            parameters.add(parameter.getModifiers() + " " + parameter.getParameterizedType() + " " + parameter.getName()
                    + (parameter.isNamePresent() ? "" : " (no name)") + " " + Arrays.toString(parameter.getDeclaredAnnotations())
                    + " " + annotated(parameter.getAnnotatedType()));
        }
        return executable.toGenericString() + " parameters " + parameters + " annotations "
                + Arrays.toString(executable.getDeclaredAnnotations()) + " returns " + annotated(executable.getAnnotatedReturnType())
                + " throws " + Arrays.toString(executable.getGenericExceptionTypes());
    }

    /** Types with the annotations on them and on their parts, e.g. {@code java.util.List<@Sized(max=100) T>}. */
    private static String annotated(AnnotatedType... types) {
        return Arrays.toString(types);
    }

    private static List<String> names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getName).sorted().collect(Collectors.toList());
    }

    private static <T> List<T> sorted(T[] declarations, java.util.function.Function<T, String> key) {
        return Stream.of(declarations).sorted(Comparator.comparing(key)).collect(Collectors.toList());
    }
}
