package io.metricsagent.agent.weaving;

import io.metricsagent.agent.AgentLog;
import io.metricsagent.agent.metrics.AgentMetrics;
import io.metricsagent.agent.metrics.GaugeSpec;
import io.metricsagent.bootstrap.PaymentBridge;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.constant.DoubleConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves one class: reads its annotations from the class file (by name, so the application's
 * annotation classes are never loaded by the agent), registers a recorder per
 * {@code @MeteredPayment} method and the {@code @MeteredGauge} accessors, and inlines the advice.
 * Everything a call needs is decided here, once.
 */
final class ClassWeaver {

    static final String METERED_PAYMENT = "io.metricsagent.api.MeteredPayment";
    static final String METERED_GAUGE = "io.metricsagent.api.MeteredGauge";
    private static final String AMOUNT = METERED_PAYMENT + "$Amount";
    private static final String USER_TIER = METERED_PAYMENT + "$UserTier";
    private static final String PAYMENT_METHOD = METERED_PAYMENT + "$Method";

    private static final ClassFileLocator ADVICE_LOCATOR =
            ClassFileLocator.ForClassLoader.of(ClassWeaver.class.getClassLoader());
    private static final TypeDescription PAYMENT_ADVICE = TypeDescription.ForLoadedType.of(PaymentAdvice.class);
    private static final TypeDescription GAUGE_OWNER_ADVICE = TypeDescription.ForLoadedType.of(GaugeOwnerAdvice.class);

    // Decorating only adds advice to existing methods: no new members, no class format change,
    // so the same weaving also works on retransformation.
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);

    private ClassWeaver() {}

    /** Returns the woven class file, or {@code null} when the class has nothing to weave. */
    static byte[] weave(ClassLoader loader, String className, byte[] classFile) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(className, classFile), ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription type = TypePool.Default.of(locator).describe(className).resolve();
        AgentMetrics metrics = AgentMetrics.get();

        DynamicType.Builder<?> builder = BYTE_BUDDY.decorate(type, locator);
        boolean woven = false;
        List<GaugeSpec> instanceGauges = new ArrayList<>();
        List<GaugeSpec> staticGauges = new ArrayList<>();
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            // javac copies a method's annotations onto the bridge methods it generates for it;
            // the bridge calls the method, which counts the call: weaving both would count twice.
            if (method.isBridge()) {
                continue;
            }
            for (AnnotationDescription annotation : method.getDeclaredAnnotations()) {
                String annotationType = annotation.getAnnotationType().getName();
                if (annotationType.equals(METERED_PAYMENT)) {
                    if (method.isAbstract() || method.isNative() || method.isConstructor() || method.isTypeInitializer()) {
                        AgentLog.info("@MeteredPayment on " + describe(type, method) + " is ignored: it has no body");
                        continue;
                    }
                    builder = builder.visit(paymentAdvice(metrics, annotation, method).on(ElementMatchers.is(method)));
                    woven = true;
                } else if (annotationType.equals(METERED_GAUGE)) {
                    GaugeSpec spec = gaugeSpec(type, method, annotation);
                    if (spec != null) {
                        (method.isStatic() ? staticGauges : instanceGauges).add(spec);
                    }
                }
            }
        }
        if (!staticGauges.isEmpty()) {
            metrics.gauges().addStaticGauges(loader, className, staticGauges);
        }
        if (!instanceGauges.isEmpty()) {
            int classId = metrics.gauges().addInstanceGauges(className, instanceGauges);
            builder = builder.visit(Advice.withCustomMapping()
                    .bind(GaugeOwnerAdvice.ClassId.class, classId)
                    .to(GAUGE_OWNER_ADVICE, ADVICE_LOCATOR)
                    .on(ElementMatchers.isConstructor()));
            woven = true;
        }
        return woven ? builder.make().getBytes() : null;
    }

    private static Advice paymentAdvice(AgentMetrics metrics, AnnotationDescription annotation,
                                        MethodDescription.InDefinedShape method) {
        int id = PaymentBridge.register(metrics.payments().recorder(
                stringValue(annotation, "gateway", "unknown"),
                stringValue(annotation, "currency", "USD"),
                stringValue(annotation, "service", "payment")));
        ParameterDescription amount = parameterAnnotated(method, AMOUNT);
        ParameterDescription tier = parameterAnnotated(method, USER_TIER);
        ParameterDescription paymentMethod = parameterAnnotated(method, PAYMENT_METHOD);
        boolean primitiveAmount = amount != null && amount.getType().isPrimitive();

        Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(PaymentAdvice.RecorderId.class, id);
        mapping = primitiveAmount
                ? mapping.bind(PaymentAdvice.AmountValue.class, amount)
                : mapping.bind(PaymentAdvice.AmountValue.class, DoubleConstant.forValue(0), double.class);
        mapping = amount != null && !primitiveAmount
                ? mapping.bind(PaymentAdvice.AmountObject.class, amount)
                : mapping.bind(PaymentAdvice.AmountObject.class, NullConstant.INSTANCE, Object.class);
        mapping = bindOrNull(mapping, PaymentAdvice.TierArgument.class, tier);
        mapping = bindOrNull(mapping, PaymentAdvice.MethodArgument.class, paymentMethod);
        return mapping.to(PAYMENT_ADVICE, ADVICE_LOCATOR);
    }

    private static <T extends java.lang.annotation.Annotation> Advice.WithCustomMapping bindOrNull(
            Advice.WithCustomMapping mapping, Class<T> binding, ParameterDescription parameter) {
        return parameter == null
                ? mapping.bind(binding, NullConstant.INSTANCE, Object.class)
                : mapping.bind(binding, parameter);
    }

    private static ParameterDescription parameterAnnotated(MethodDescription method, String annotationType) {
        for (ParameterDescription parameter : method.getParameters()) {
            for (AnnotationDescription annotation : parameter.getDeclaredAnnotations()) {
                if (annotation.getAnnotationType().getName().equals(annotationType)) {
                    return parameter;
                }
            }
        }
        return null;
    }

    private static GaugeSpec gaugeSpec(TypeDescription type, MethodDescription method, AnnotationDescription annotation) {
        if (!method.getParameters().isEmpty() || method.getReturnType().represents(void.class)) {
            AgentLog.info("@MeteredGauge on " + describe(type, method)
                    + " is ignored: it must take no arguments and return a number");
            return null;
        }
        try {
            return GaugeSpec.of(method.getName(),
                    stringValue(annotation, "name", ""),
                    stringValue(annotation, "help", ""),
                    stringArrayValue(annotation, "labels"));
        } catch (IllegalArgumentException e) {
            AgentLog.warn("@MeteredGauge on " + describe(type, method) + " is ignored", e);
            return null;
        }
    }

    // An attribute the class file leaves out takes the annotation's default, which ByteBuddy can
    // only read from the annotation's own class file; the documented defaults stand in when that
    // is not on the application's class path.
    private static String stringValue(AnnotationDescription annotation, String attribute, String fallback) {
        try {
            return annotation.getValue(attribute).resolve(String.class);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static String[] stringArrayValue(AnnotationDescription annotation, String attribute) {
        try {
            return annotation.getValue(attribute).resolve(String[].class);
        } catch (RuntimeException e) {
            return new String[0];
        }
    }

    private static String describe(TypeDescription type, MethodDescription method) {
        return type.getName() + "." + method.getName() + "()";
    }
}
