package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.AnnotatedMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The first, cheap pass over a class file: its methods with the values of the agent's
 * annotations, read without code, frames or debug information, and without loading anything.
 */
final class ClassScan extends ClassVisitor {

    private static final String API_PREFIX = "Lio/metricsagent/api/";

    /** One method of the class. */
    static final class ScannedMethod {
        final int access;
        final String name;
        final String descriptor;
        final AnnotatedMethod annotated;
        /** The locals the method's code uses; the weaver adds its own after them. */
        int maxLocals;
        /** Carries Kotlin's {@code @JvmStatic}. */
        boolean jvmStatic;
        /** The methods its code calls, as {@code owner.name descriptor}. */
        final List<String> calls = new ArrayList<>();
        /**
         * For a Kotlin suspend function with a state machine of its own: the class of its
         * continuation, which its code first tests its continuation argument against; else {@code null}.
         */
        String continuationClass;

        ScannedMethod(int access, String name, String descriptor, AnnotatedMethod annotated) {
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
            this.annotated = annotated;
        }

        boolean is(int flag) {
            return (access & flag) != 0;
        }
    }

    final List<ScannedMethod> methods = new ArrayList<>();
    int version;
    String internalName;
    /** Compiled by Kotlin (it carries {@code kotlin.Metadata}). */
    boolean kotlin;
    private String className;
    /** The annotations the class carries, by type name; its methods' are added to theirs. */
    private final Set<String> classAnnotations = new HashSet<>();

    private ClassScan() {
        super(Opcodes.ASM9);
    }

    static ClassScan of(ClassReader reader) {
        ClassScan scan = new ClassScan();
        // Code is read, not kept: for each method's maxLocals, its parameters' names, and the few
        // instructions that tell Kotlin's generated forwarders and suspend functions apart.
        reader.accept(scan, ClassReader.SKIP_FRAMES);
        return scan;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.version = version & 0xFFFF;
        internalName = name;
        className = name.replace('/', '.');
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        if (descriptor.equals("Lkotlin/Metadata;")) {
            kotlin = true;
        }
        classAnnotations.add(Type.getType(descriptor).getClassName());
        return null;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        Map<String, Map<String, Object>> annotations = new HashMap<>();
        Set<String> carried = new HashSet<>(classAnnotations);
        Type[] arguments = Type.getArgumentTypes(descriptor);
        List<Map<String, Map<String, Object>>> parameterAnnotations = new ArrayList<>();
        List<String> parameterTypes = new ArrayList<>();
        List<String> parameterNames = new ArrayList<>();
        int[] parameterLocals = new int[arguments.length];
        int local = (access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (int i = 0; i < arguments.length; i++) {
            parameterAnnotations.add(new HashMap<>());
            parameterTypes.add(arguments[i].getClassName());
            parameterNames.add(null);
            parameterLocals[i] = local;
            local += arguments[i].getSize();
        }
        ScannedMethod method = new ScannedMethod(access, name, descriptor, new AnnotatedMethod(className, name,
                parameterTypes, parameterNames, Type.getReturnType(descriptor).getClassName(), annotations,
                parameterAnnotations, carried));
        methods.add(method);
        int lastArgumentLocal = (access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (int i = 0; i < arguments.length - 1; i++) {
            lastArgumentLocal += arguments[i].getSize();
        }
        int continuationLocal = lastArgumentLocal;
        return new MethodVisitor(Opcodes.ASM9) {
            private int instructions;
            private int namedParameters;

            // Parameter names, for configuration rules that name them: from -parameters, else the
            // local variable table of debug information.
            @Override
            public void visitParameter(String parameterName, int parameterAccess) {
                if (namedParameters < parameterNames.size() && parameterName != null) {
                    parameterNames.set(namedParameters, parameterName);
                }
                namedParameters++;
            }

            @Override
            public void visitLocalVariable(String variable, String variableDescriptor, String signature, Label start,
                                           Label end, int index) {
                for (int i = 0; i < parameterLocals.length; i++) {
                    if (parameterLocals[i] == index && parameterNames.get(i) == null) {
                        parameterNames.set(i, variable);
                    }
                }
            }
            private boolean loadsContinuationFirst;

            @Override
            public void visitVarInsn(int opcode, int var) {
                loadsContinuationFirst = instructions++ == 0 && opcode == Opcodes.ALOAD && var == continuationLocal;
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                if (instructions++ == 1 && loadsContinuationFirst && opcode == Opcodes.INSTANCEOF) {
                    method.continuationClass = type;
                }
            }

            @Override
            public void visitInsn(int opcode) {
                instructions++;
            }

            @Override
            public void visitIntInsn(int opcode, int operand) {
                instructions++;
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
                instructions++;
            }

            @Override
            public void visitJumpInsn(int opcode, Label label) {
                instructions++;
            }

            @Override
            public void visitLdcInsn(Object value) {
                instructions++;
            }

            @Override
            public void visitIincInsn(int var, int increment) {
                instructions++;
            }

            @Override
            public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                instructions++;
            }

            @Override
            public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                instructions++;
            }

            @Override
            public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                instructions++;
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor, boolean isInterface) {
                instructions++;
                method.calls.add(owner + "." + callee + " " + calleeDescriptor);
            }

            @Override
            public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
                                               Object... arguments) {
                instructions++;
            }

            // A compiler may leave synthetic parameters (an inner class's outer instance) out of
            // the parameter annotations; their indexes then count from the first annotatable one.
            private int annotationOffset;

            @Override
            public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
                annotationOffset = arguments.length - parameterCount;
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                method.maxLocals = maxLocals;
            }

            @Override
            public AnnotationVisitor visitAnnotation(String annotationDescriptor, boolean visible) {
                if (annotationDescriptor.equals("Lkotlin/jvm/JvmStatic;")) {
                    method.jvmStatic = true;
                }
                carried.add(Type.getType(annotationDescriptor).getClassName());
                return collect(annotations, annotationDescriptor);
            }

            @Override
            public AnnotationVisitor visitParameterAnnotation(int parameter, String annotationDescriptor, boolean visible) {
                int index = parameter + annotationOffset;
                return index < parameterAnnotations.size()
                        ? collect(parameterAnnotations.get(index), annotationDescriptor) : null;
            }
        };
    }

    private static AnnotationVisitor collect(Map<String, Map<String, Object>> into, String annotationDescriptor) {
        if (!annotationDescriptor.startsWith(API_PREFIX)) {
            return null;
        }
        Map<String, Object> values = new HashMap<>();
        into.put(Type.getType(annotationDescriptor).getClassName(), values);
        return new Values(values);
    }

    /** Collects an annotation's attributes: strings, boxed primitives, primitive arrays, lists. */
    private static final class Values extends AnnotationVisitor {
        private final Map<String, Object> values;

        Values(Map<String, Object> values) {
            super(Opcodes.ASM9);
            this.values = values;
        }

        @Override
        public void visit(String name, Object value) {
            values.put(name, value);
        }

        @Override
        public void visitEnum(String name, String descriptor, String value) {
            values.put(name, value);
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            List<Object> elements = new ArrayList<>();
            values.put(name, elements);
            return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String ignored, Object value) {
                    elements.add(value);
                }

                @Override
                public void visitEnum(String ignored, String descriptor, String value) {
                    elements.add(value);
                }
            };
        }
    }
}
