package io.metricsagent.agent.weaving;

import io.metricsagent.agent.report.AgentLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.RecordComponentVisitor;
import net.bytebuddy.jar.asm.TypePath;

/**
 * Gives a class being retransformed back what the JVM's rebuilt class file lacks. Unless a
 * transformer changed the class as it loaded, the JVM hands transformers a class file it rebuilds
 * from the loaded class, and redefines the class from what they return: their bytes or, when all
 * of them decline, that rebuilt file. What the file lacks, the class loses. OpenJDK 17 rebuilds it
 * without MethodParameters, so that reflection names every parameter {@code arg0}, {@code arg1}
 * (and Spring MVC no longer binds a {@code @RequestParam} without an explicit name); JDK 17 and 25
 * alike leave out the CLASS-retention annotations, Deprecated and EnclosingMethod, which
 * reflection does not read but class-file readers, this agent's rules among them, do.
 *
 * <p>The class file the class's loader serves has them. Each kind of attribute that a field,
 * method, record component or the class itself lacks in the rebuilt file is copied from the same
 * declaration (matched by name and descriptor) of the served file, only when the two files declare
 * the same class: the same name, supertypes, fields, methods and record components. Another agent
 * may have changed the class, or the jar it came from may have been replaced: then the rebuilt file
 * stays as it is. Nothing the rebuilt file has is replaced, and the code is the rebuilt file's; the
 * type annotations inside code, tied to its offsets, are not restored.
 */
final class RetransformedClassFile {

    private static final int PARAMETERS = 1;
    private static final int ANNOTATION_DEFAULT = 1 << 1;
    private static final int ANNOTATIONS = 1 << 2;
    private static final int INVISIBLE_ANNOTATIONS = 1 << 3;
    private static final int TYPE_ANNOTATIONS = 1 << 4;
    private static final int INVISIBLE_TYPE_ANNOTATIONS = 1 << 5;
    private static final int PARAMETER_ANNOTATIONS = 1 << 6;
    private static final int INVISIBLE_PARAMETER_ANNOTATIONS = 1 << 7;
    private static final int SOURCE = 1 << 8;
    private static final int NEST_HOST = 1 << 9;
    private static final int ENCLOSING_METHOD = 1 << 10;
    private static final int NEST_MEMBERS = 1 << 11;
    private static final int PERMITTED_SUBCLASSES = 1 << 12;
    private static final int INNER_CLASSES = 1 << 13;
    private static final int RECORD = 1 << 14;

    private RetransformedClassFile() {}

    /**
     * The rebuilt class file with what it lacks restored from the file {@code loader} serves, or
     * {@code null} when it lacks nothing, the loader serves no file (a generated class) or the two
     * do not declare the same class. A failure is one line, and {@code null}.
     */
    static byte[] restore(ClassLoader loader, String internalName, byte[] rebuilt) {
        try {
            ClassReader served = ClassFiles.reader(loader, internalName);
            return served == null ? null : restore(rebuilt, served);
        } catch (Throwable e) {
            AgentLog.warn(internalName.replace('/', '.') + " is retransformed as the JVM rebuilt it, "
                    + "without what that lacks", e);
            return null;
        }
    }

    /** As {@link #restore(ClassLoader, String, byte[])}, from the served file's reader. */
    static byte[] restore(byte[] rebuilt, ClassReader served) {
        Declared declared = new Declared();
        served.accept(declared, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        ClassReader reader = new ClassReader(rebuilt);
        ClassWriter writer = new ClassWriter(reader, 0);
        Restorer restorer = new Restorer(writer, declared);
        reader.accept(restorer, 0);
        if (!restorer.agrees) {
            return null;
        }
        restorer.filling = true;
        // Not SKIP_DEBUG: MethodParameters and SourceFile count as debug information to ASM.
        served.accept(restorer, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        restorer.end();
        return restorer.restored ? writer.toByteArray() : null;
    }

    private static int annotations(boolean visible) {
        return visible ? ANNOTATIONS : INVISIBLE_ANNOTATIONS;
    }

    private static int typeAnnotations(boolean visible) {
        return visible ? TYPE_ANNOTATIONS : INVISIBLE_TYPE_ANNOTATIONS;
    }

    private static int parameterAnnotations(boolean visible) {
        return visible ? PARAMETER_ANNOTATIONS : INVISIBLE_PARAMETER_ANNOTATIONS;
    }

    /** A declaration of the served file as its header states it; its attributes are read later. */
    private static final class Declaration {
        final int access;
        final String signature;
        final String[] exceptions;
        final Object value;

        Declaration(int access, String signature, String[] exceptions, Object value) {
            this.access = access;
            this.signature = signature;
            this.exceptions = exceptions;
            this.value = value;
        }
    }

    /** The served file's class, fields, methods and record components, by name and descriptor. */
    private static final class Declared extends ClassVisitor {
        String name;
        String superName;
        String[] interfaces;
        Declaration type;
        final Map<String, Declaration> members = new HashMap<>();
        final Map<String, Declaration> components = new HashMap<>();

        Declared() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces;
            type = new Declaration(access, signature, null, null);
        }

        @Override
        public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            components.put(name + descriptor, new Declaration(0, signature, null, null));
            return null;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            members.put(name + descriptor, new Declaration(access, signature, null, value));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            members.put(name + descriptor, new Declaration(access, signature, exceptions, null));
            return null;
        }
    }

    /**
     * Reads the rebuilt file into the writer, noting which kinds of attribute each declaration
     * has; then, {@link #filling}, reads the served file and lets through to the same
     * declarations' writers only the kinds they lack. The writer keeps every part until it writes
     * the file, so that what the served file adds may follow the code; each part's end is visited
     * once all is in ({@link #end()}).
     */
    private static final class Restorer extends ClassVisitor {
        private final Declared declared;
        private final Present ofClass = new Present();
        private final Map<String, MethodRestorer> methods = new HashMap<>();
        private final Map<String, FieldRestorer> fields = new HashMap<>();
        private final Map<String, ComponentRestorer> components = new HashMap<>();
        private final List<ComponentRestorer> added = new ArrayList<>();
        boolean agrees = true;
        boolean filling;
        boolean restored;

        Restorer(ClassWriter writer, Declared declared) {
            super(Opcodes.ASM9, writer);
            this.declared = declared;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            if (filling) {
                return;
            }
            agrees = name.equals(declared.name) && Objects.equals(superName, declared.superName)
                    && Arrays.equals(interfaces, declared.interfaces);
            super.visit(version, deprecated(access, declared.type), name, lacking(signature, declared.type.signature),
                    superName, interfaces);
        }

        @Override
        public void visitSource(String source, String debug) {
            if (ofClass.admit(SOURCE)) {
                super.visitSource(source, debug);
            }
        }

        @Override
        public void visitNestHost(String nestHost) {
            if (ofClass.admit(NEST_HOST)) {
                super.visitNestHost(nestHost);
            }
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            if (ofClass.admit(ENCLOSING_METHOD)) {
                super.visitOuterClass(owner, name, descriptor);
            }
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return ofClass.admit(annotations(visible)) ? super.visitAnnotation(descriptor, visible) : null;
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return ofClass.admit(typeAnnotations(visible)) ? super.visitTypeAnnotation(typeRef, typePath, descriptor, visible)
                    : null;
        }

        @Override
        public void visitAttribute(Attribute attribute) {
            // The served file's attributes ASM does not know are raw bytes indexing its own constant pool.
            if (!filling) {
                super.visitAttribute(attribute);
            }
        }

        @Override
        public void visitNestMember(String nestMember) {
            if (ofClass.admit(NEST_MEMBERS)) {
                super.visitNestMember(nestMember);
            }
        }

        @Override
        public void visitPermittedSubclass(String permittedSubclass) {
            if (ofClass.admit(PERMITTED_SUBCLASSES)) {
                super.visitPermittedSubclass(permittedSubclass);
            }
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (ofClass.admit(INNER_CLASSES)) {
                super.visitInnerClass(name, outerName, innerName, access);
            }
        }

        @Override
        public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            String key = name + descriptor;
            if (filling) {
                if (!ofClass.admit(RECORD)) {
                    return components.get(key);
                }
                ComponentRestorer component = new ComponentRestorer(super.visitRecordComponent(name, descriptor, signature));
                added.add(component);
                return component;
            }
            ofClass.admit(RECORD);
            Declaration served = declared.components.get(key);
            if (served == null) {
                agrees = false;
                return super.visitRecordComponent(name, descriptor, signature);
            }
            ComponentRestorer component = new ComponentRestorer(
                    super.visitRecordComponent(name, descriptor, lacking(signature, served.signature)));
            components.put(key, component);
            return component;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            String key = name + descriptor;
            if (filling) {
                return fields.get(key);
            }
            Declaration served = declared.members.get(key);
            if (served == null) {
                agrees = false;
                return super.visitField(access, name, descriptor, signature, value);
            }
            FieldRestorer field = new FieldRestorer(super.visitField(deprecated(access, served), name, descriptor,
                    lacking(signature, served.signature), lacking(value, served.value)));
            fields.put(key, field);
            return field;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            String key = name + descriptor;
            if (filling) {
                return methods.get(key);
            }
            Declaration served = declared.members.get(key);
            if (served == null) {
                agrees = false;
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }
            MethodRestorer method = new MethodRestorer(super.visitMethod(deprecated(access, served), name, descriptor,
                    lacking(signature, served.signature), lacking(exceptions, served.exceptions)));
            methods.put(key, method);
            return method;
        }

        @Override
        public void visitEnd() {
            if (!filling) {
                agrees &= fields.size() + methods.size() == declared.members.size()
                        && (components.isEmpty() || components.size() == declared.components.size());
            }
        }

        /** Ends every part, then the class. */
        void end() {
            for (FieldRestorer field : fields.values()) {
                field.end();
            }
            for (MethodRestorer method : methods.values()) {
                method.end();
            }
            for (ComponentRestorer component : components.values()) {
                component.end();
            }
            for (ComponentRestorer component : added) {
                component.end();
            }
            super.visitEnd();
        }

        private int deprecated(int access, Declaration served) {
            if ((access & Opcodes.ACC_DEPRECATED) == 0 && (served.access & Opcodes.ACC_DEPRECATED) != 0) {
                restored = true;
                return access | Opcodes.ACC_DEPRECATED;
            }
            return access;
        }

        private <T> T lacking(T rebuilt, T served) {
            if (rebuilt == null && served != null) {
                restored = true;
                return served;
            }
            return rebuilt;
        }

        /** The kinds of attribute one declaration of the rebuilt file has. */
        private final class Present {
            private int kinds;

            /**
             * Reading the rebuilt file, notes the kind and lets it through; reading the served
             * one, lets it through only if the rebuilt declaration lacks it.
             */
            boolean admit(int kind) {
                if (!filling) {
                    kinds |= kind;
                    return true;
                }
                if ((kinds & kind) != 0) {
                    return false;
                }
                restored = true;
                return true;
            }
        }

        private final class MethodRestorer extends MethodVisitor {
            private final Present present = new Present();

            MethodRestorer(MethodVisitor writer) {
                super(Opcodes.ASM9, writer);
            }

            @Override
            public void visitParameter(String name, int access) {
                if (present.admit(PARAMETERS)) {
                    super.visitParameter(name, access);
                }
            }

            @Override
            public AnnotationVisitor visitAnnotationDefault() {
                return present.admit(ANNOTATION_DEFAULT) ? super.visitAnnotationDefault() : null;
            }

            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                return present.admit(annotations(visible)) ? super.visitAnnotation(descriptor, visible) : null;
            }

            @Override
            public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
                return present.admit(typeAnnotations(visible))
                        ? super.visitTypeAnnotation(typeRef, typePath, descriptor, visible) : null;
            }

            @Override
            public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
                if (present.admit(parameterAnnotations(visible))) {
                    super.visitAnnotableParameterCount(parameterCount, visible);
                }
            }

            @Override
            public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
                return present.admit(parameterAnnotations(visible))
                        ? super.visitParameterAnnotation(parameter, descriptor, visible) : null;
            }

            @Override
            public void visitAttribute(Attribute attribute) {
                if (!filling) {
                    super.visitAttribute(attribute);
                }
            }

            @Override
            public void visitEnd() {
                // Ended once the served file's parts are in, by end().
            }

            void end() {
                super.visitEnd();
            }
        }

        private final class FieldRestorer extends FieldVisitor {
            private final Present present = new Present();

            FieldRestorer(FieldVisitor writer) {
                super(Opcodes.ASM9, writer);
            }

            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                return present.admit(annotations(visible)) ? super.visitAnnotation(descriptor, visible) : null;
            }

            @Override
            public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
                return present.admit(typeAnnotations(visible))
                        ? super.visitTypeAnnotation(typeRef, typePath, descriptor, visible) : null;
            }

            @Override
            public void visitAttribute(Attribute attribute) {
                if (!filling) {
                    super.visitAttribute(attribute);
                }
            }

            @Override
            public void visitEnd() {
                // Ended once the served file's parts are in, by end().
            }

            void end() {
                super.visitEnd();
            }
        }

        private final class ComponentRestorer extends RecordComponentVisitor {
            private final Present present = new Present();

            ComponentRestorer(RecordComponentVisitor writer) {
                super(Opcodes.ASM9, writer);
            }

            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                return present.admit(annotations(visible)) ? super.visitAnnotation(descriptor, visible) : null;
            }

            @Override
            public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
                return present.admit(typeAnnotations(visible))
                        ? super.visitTypeAnnotation(typeRef, typePath, descriptor, visible) : null;
            }

            @Override
            public void visitAttribute(Attribute attribute) {
                if (!filling) {
                    super.visitAttribute(attribute);
                }
            }

            @Override
            public void visitEnd() {
                // Ended once the served file's parts are in, by end().
            }

            void end() {
                super.visitEnd();
            }
        }
    }
}
