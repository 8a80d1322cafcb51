package io.metricsagent.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.RecordComponentVisitor;
import net.bytebuddy.jar.asm.TypeReference;
import org.junit.jupiter.api.Test;

/**
 * The restoring logic on class files written here, each attribute present or left out by name: the
 * rebuilt file is the served one less what a JDK leaves out, and what comes back is compared
 * attribute by attribute (names and lengths, which do not depend on the order of the constant
 * pool) with the served file. Then once on this JVM's own rebuilt file.
 */
class RetransformedClassFileTest {

    private static final String SHELF = "io/metricsagent/testfixtures/Shelf";
    private static final String TAG = "Lio/metricsagent/testfixtures/Tag;";
    private static final String HIDDEN = "Lio/metricsagent/testfixtures/Hidden;";

    private final Weaving weaving = WeavingSupport.newWeaving();

    /** What OpenJDK 17.0.15 leaves out of the file it rebuilds; 25 keeps MethodParameters. */
    private static final Set<String> LEFT_OUT_BY_JDK_17 = Set.of("MethodParameters", "RuntimeInvisibleAnnotations",
            "RuntimeInvisibleParameterAnnotations", "Deprecated", "EnclosingMethod");

    private static final Set<String> ALL = Set.of("Signature", "SourceFile", "SourceDebugExtension", "EnclosingMethod",
            "NestHost", "NestMembers", "PermittedSubclasses", "InnerClasses", "Record", "Deprecated", "ConstantValue",
            "Exceptions", "MethodParameters", "AnnotationDefault", "RuntimeVisibleAnnotations",
            "RuntimeInvisibleAnnotations", "RuntimeVisibleTypeAnnotations", "RuntimeInvisibleTypeAnnotations",
            "RuntimeVisibleParameterAnnotations", "RuntimeInvisibleParameterAnnotations");

    @Test
    void whatJdk17LeavesOutComesBackFromTheServedFile() throws IOException {
        byte[] served = shelf(Set.of());
        byte[] rebuilt = shelf(LEFT_OUT_BY_JDK_17);
        Map<String, List<String>> before = attributes(rebuilt);
        assertEquals(List.of("Code(21)", "Exceptions(4)", "RuntimeVisibleAnnotations(41)",
                "RuntimeVisibleParameterAnnotations(44)", "Signature(2)"), before.get("method count(ILjava/util/List;)I"));
        assertEquals(List.of("Code(21)", "Deprecated(0)", "Exceptions(4)", "MethodParameters(9)",
                "RuntimeInvisibleAnnotations(41)", "RuntimeInvisibleParameterAnnotations(44)", "RuntimeVisibleAnnotations(41)",
                "RuntimeVisibleParameterAnnotations(44)", "Signature(2)"),
                attributes(served).get("method count(ILjava/util/List;)I"));

        byte[] restored = RetransformedClassFile.restore(rebuilt, new ClassReader(served));
        assertNotNull(restored);
        assertEquals(attributes(served), attributes(restored));
        assertEquals(List.of("parameter count 0", "parameter sink 16", "annotation " + TAG, "invisible annotation " + HIDDEN),
                parametersAndAnnotations(restored, "count"));
    }

    @Test
    void everyKindOfAttributeComesBackToTheFieldMethodComponentOrClassThatLacksIt() throws IOException {
        byte[] served = shelf(Set.of());
        byte[] bare = shelf(ALL);
        assertEquals(List.of("Code(21)"), attributes(bare).get("method count(ILjava/util/List;)I"));
        assertEquals(List.of(), attributes(bare).get("class"));

        byte[] restored = RetransformedClassFile.restore(bare, new ClassReader(served));
        assertNotNull(restored);
        Map<String, List<String>> expected = attributes(served);
        assertEquals(expected, attributes(restored));
        assertEquals(List.of("Deprecated(0)", "EnclosingMethod(4)", "InnerClasses(10)", "NestHost(2)", "NestMembers(4)",
                "PermittedSubclasses(4)", "Record(69)", "RuntimeInvisibleAnnotations(41)", "RuntimeVisibleAnnotations(41)",
                "RuntimeVisibleTypeAnnotations(44)", "Signature(2)", "SourceDebugExtension(7)", "SourceFile(2)"),
                expected.get("class"));
        assertEquals(List.of("ConstantValue(2)", "Deprecated(0)", "RuntimeInvisibleAnnotations(41)",
                "RuntimeVisibleAnnotations(41)", "RuntimeVisibleTypeAnnotations(43)", "Signature(2)"),
                expected.get("field LIMIT:I"));
        assertEquals(List.of("AnnotationDefault(3)"), expected.get("method label()Ljava/lang/String;"));
        assertEquals(List.of("RuntimeVisibleAnnotations(41)", "Signature(2)"), expected.get("component items:Ljava/util/List;"));
        assertEquals(List.of(), expected.get("component size:I"));
    }

    @Test
    void aFileThatLacksNothingIsLeftAsItIs() {
        byte[] served = shelf(Set.of());
        assertNull(RetransformedClassFile.restore(served, new ClassReader(served)));
        byte[] noneCompiledIn = shelf(Set.of("MethodParameters"));
        assertNull(RetransformedClassFile.restore(noneCompiledIn, new ClassReader(noneCompiledIn)));
    }

    /** Another agent's annotation, or its own change of one, is the rebuilt file's: only what is lacking is added. */
    @Test
    void whatTheRebuiltFileHasIsKeptEvenWhereTheServedFileDiffers() throws IOException {
        byte[] served = shelf(Set.of());
        byte[] rebuilt = shelf(LEFT_OUT_BY_JDK_17, "Lio/metricsagent/testfixtures/Traced;");
        byte[] restored = RetransformedClassFile.restore(rebuilt, new ClassReader(served));
        assertNotNull(restored);
        assertEquals(attributes(served), attributes(restored));
        assertEquals(List.of("parameter count 0", "parameter sink 16", "annotation Lio/metricsagent/testfixtures/Traced;",
                "invisible annotation " + HIDDEN), parametersAndAnnotations(restored, "count"));
    }

    /** Added or renamed members, other supertypes: another class file than the one loaded, from which nothing is taken. */
    @Test
    void nothingIsTakenFromAFileThatDeclaresAnotherClass() {
        byte[] rebuilt = shelf(LEFT_OUT_BY_JDK_17);
        for (String[] change : List.of(new String[] {"method", "audit"}, new String[] {"field", "spare"},
                new String[] {"component", "owner"}, new String[] {"super", "java/lang/Number"},
                new String[] {"interface", "java/io/Serializable"})) {
            assertNull(RetransformedClassFile.restore(rebuilt, new ClassReader(shelf(Set.of(), TAG, change))),
                    "served file with another " + change[0]);
            assertNull(RetransformedClassFile.restore(shelf(LEFT_OUT_BY_JDK_17, TAG, change), new ClassReader(shelf(Set.of()))),
                    "rebuilt file with another " + change[0]);
        }
    }

    @Test
    void aLoaderThatServesNoFileOrABrokenOneLeavesTheRebuiltFileAsItIs() {
        byte[] rebuilt = shelf(LEFT_OUT_BY_JDK_17);
        assertNull(RetransformedClassFile.restore(new ServingLoader(null), SHELF, rebuilt));
        assertNull(RetransformedClassFile.restore(new ServingLoader(new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0}),
                SHELF, rebuilt));
        assertNotNull(RetransformedClassFile.restore(new ServingLoader(shelf(Set.of())), SHELF, rebuilt));
    }

    /**
     * This JVM's own rebuilt file, whatever it lacks on this JDK, comes back from the agent's
     * transformer as the loader serves the class, though the transformer declines to weave it; the
     * class redefined from it keeps its parameter names. As the class loads, the transformer reads
     * nothing.
     */
    @Test
    void aClassTheAgentRetransformsButDeclinesComesBackWhole() throws Exception {
        String name = "io/metricsagent/testfixtures/Tally";
        byte[] served = tally(name);
        ServingLoader loader = new ServingLoader(served);
        MeteredClassTransformer agent = new MeteredClassTransformer(weaving);
        assertNull(agent.transform(loader, name, null, null, served));
        assertEquals(0, loader.served);

        Class<?> tally = loader.define(name.replace('/', '.'));
        List<byte[]> seen = new ArrayList<>();
        ClassFileTransformer watching = new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader from, String className, Class<?> redefined, ProtectionDomain domain,
                                    byte[] classFile) {
                if (redefined != tally) {
                    return null;
                }
                byte[] whole = agent.transform(from, className, redefined, domain, classFile);
                seen.add(classFile);
                seen.add(whole == null ? classFile : whole);
                return whole;
            }
        };
        Instrumentation inst = ByteBuddyAgent.install();
        inst.addTransformer(watching, true);
        try {
            inst.retransformClasses(tally);
        } finally {
            inst.removeTransformer(watching);
        }
        assertEquals(2, seen.size());
        assertEquals(1, loader.served);
        assertEquals(attributes(served), attributes(seen.get(1)), "rebuilt: " + attributes(seen.get(0)));
        Method add = tally.getMethod("add", int.class, int.class);
        assertEquals(List.of("count", "step"), Arrays.stream(add.getParameters()).map(Parameter::getName)
                .collect(Collectors.toList()));
        assertTrue(add.isAnnotationPresent(Deprecated.class));
    }

    /**
     * A class file with every kind of attribute the restorer copies, at once (no compiler writes
     * NestHost beside NestMembers, but the restorer takes each on its own), less those named in
     * {@code without}.
     *
     * @param countAnnotation the visible annotation of {@code count}
     * @param change          {kind, name}: a member or supertype that makes it another class
     */
    private static byte[] shelf(Set<String> without, String countAnnotation, String... change) {
        String changed = change.length == 0 ? "" : change[0];
        ClassWriter writer = new ClassWriter(0);
        int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER | (without.contains("Deprecated") ? 0 : Opcodes.ACC_DEPRECATED);
        writer.visit(Opcodes.V17, access, SHELF, or(without, "Signature", "<T:Ljava/lang/Number;>Ljava/lang/Object;"),
                changed.equals("super") ? change[1] : "java/lang/Object",
                changed.equals("interface") ? new String[] {change[1]} : null);
        if (!without.contains("SourceFile")) {
            writer.visitSource("Shelf.java", or(without, "SourceDebugExtension", "SMAP\nx\n"));
        }
        if (!without.contains("NestHost")) {
            writer.visitNestHost("io/metricsagent/testfixtures/Store");
        }
        if (!without.contains("EnclosingMethod")) {
            writer.visitOuterClass("io/metricsagent/testfixtures/Store", "open", "()V");
        }
        annotate(without, "RuntimeVisibleAnnotations", () -> writer.visitAnnotation(TAG, true));
        annotate(without, "RuntimeInvisibleAnnotations", () -> writer.visitAnnotation(HIDDEN, false));
        annotate(without, "RuntimeVisibleTypeAnnotations", () -> writer.visitTypeAnnotation(
                TypeReference.newTypeParameterReference(TypeReference.CLASS_TYPE_PARAMETER, 0).getValue(), null, TAG, true));
        if (!without.contains("NestMembers")) {
            writer.visitNestMember("io/metricsagent/testfixtures/Shelf$Item");
        }
        if (!without.contains("PermittedSubclasses")) {
            writer.visitPermittedSubclass("io/metricsagent/testfixtures/Shelf$Item");
        }
        if (!without.contains("InnerClasses")) {
            writer.visitInnerClass("io/metricsagent/testfixtures/Shelf$Item", SHELF, "Item", Opcodes.ACC_STATIC);
        }
        if (!without.contains("Record")) {
            component(without, writer, "items", "Ljava/util/List;", "Ljava/util/List<TT;>;");
            component(without, writer, changed.equals("component") ? change[1] : "size", "I", null);
        }
        FieldVisitor field = writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
                        | (without.contains("Deprecated") ? 0 : Opcodes.ACC_DEPRECATED), "LIMIT", "I",
                or(without, "Signature", "TT;"), without.contains("ConstantValue") ? null : 12);
        annotate(without, "RuntimeVisibleAnnotations", () -> field.visitAnnotation(TAG, true));
        annotate(without, "RuntimeInvisibleAnnotations", () -> field.visitAnnotation(HIDDEN, false));
        annotate(without, "RuntimeVisibleTypeAnnotations", () -> field.visitTypeAnnotation(
                TypeReference.newTypeReference(TypeReference.FIELD).getValue(), null, TAG, true));
        field.visitEnd();
        if (changed.equals("field")) {
            writer.visitField(Opcodes.ACC_PRIVATE, change[1], "I", null, null).visitEnd();
        }

        MethodVisitor count = writer.visitMethod(Opcodes.ACC_PUBLIC | (without.contains("Deprecated") ? 0 : Opcodes.ACC_DEPRECATED),
                "count", "(ILjava/util/List;)I", or(without, "Signature", "(ILjava/util/List<TT;>;)I"),
                without.contains("Exceptions") ? null : new String[] {"java/io/IOException"});
        if (!without.contains("MethodParameters")) {
            count.visitParameter("count", 0);
            count.visitParameter("sink", Opcodes.ACC_FINAL);
        }
        annotate(without, "RuntimeVisibleAnnotations", () -> count.visitAnnotation(countAnnotation, true));
        annotate(without, "RuntimeInvisibleAnnotations", () -> count.visitAnnotation(HIDDEN, false));
        annotate(without, "RuntimeVisibleParameterAnnotations", () -> {
            count.visitAnnotableParameterCount(2, true);
            return count.visitParameterAnnotation(0, TAG, true);
        });
        annotate(without, "RuntimeInvisibleParameterAnnotations", () -> {
            count.visitAnnotableParameterCount(2, false);
            return count.visitParameterAnnotation(1, HIDDEN, false);
        });
        count.visitCode();
        count.visitVarInsn(Opcodes.ILOAD, 1);
        count.visitVarInsn(Opcodes.ALOAD, 2);
        count.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/List", "size", "()I", true);
        count.visitInsn(Opcodes.IADD);
        count.visitInsn(Opcodes.IRETURN);
        count.visitMaxs(2, 3);
        count.visitEnd();

        MethodVisitor label = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "label", "()Ljava/lang/String;",
                null, null);
        if (!without.contains("AnnotationDefault")) {
            AnnotationVisitor value = label.visitAnnotationDefault();
            value.visit(null, "none");
            value.visitEnd();
        }
        label.visitEnd();
        if (changed.equals("method")) {
            MethodVisitor audit = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, change[1], "()V", null, null);
            audit.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static byte[] shelf(Set<String> without) {
        return shelf(without, TAG);
    }

    private static String or(Set<String> without, String attribute, String value) {
        return without.contains(attribute) ? null : value;
    }

    private static void component(Set<String> without, ClassWriter writer, String name, String descriptor, String signature) {
        RecordComponentVisitor component = writer.visitRecordComponent(name, descriptor,
                signature == null ? null : or(without, "Signature", signature));
        if (signature != null) {
            annotate(without, "RuntimeVisibleAnnotations", () -> component.visitAnnotation(TAG, true));
        }
        component.visitEnd();
    }

    /** Fills in an annotation with a value of every shape, unless its attribute is left out. */
    private static void annotate(Set<String> without, String attribute, Supplier<AnnotationVisitor> visitor) {
        if (without.contains(attribute)) {
            return;
        }
        AnnotationVisitor annotation = visitor.get();
        annotation.visit("value", "shelf");
        annotation.visitEnum("unit", "Ljava/util/concurrent/TimeUnit;", "SECONDS");
        AnnotationVisitor sizes = annotation.visitArray("sizes");
        sizes.visit(null, 1);
        sizes.visit(null, 2);
        sizes.visitEnd();
        AnnotationVisitor origin = annotation.visitAnnotation("origin", "Lio/metricsagent/testfixtures/Origin;");
        origin.visit("type", net.bytebuddy.jar.asm.Type.getType("Ljava/util/List;"));
        origin.visitEnd();
        annotation.visitEnd();
    }

    /** A loadable class: {@code @Deprecated public static int add(int count, int step)}, with its parameter names. */
    private static byte[] tally(String name) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        writer.visitSource("Tally.java", null);
        MethodVisitor add = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_DEPRECATED, "add", "(II)I",
                null, null);
        add.visitParameter("count", 0);
        add.visitParameter("step", 0);
        add.visitAnnotation("Ljava/lang/Deprecated;", true).visitEnd();
        add.visitAnnotation(HIDDEN, false).visitEnd();
        add.visitCode();
        add.visitVarInsn(Opcodes.ILOAD, 0);
        add.visitVarInsn(Opcodes.ILOAD, 1);
        add.visitInsn(Opcodes.IADD);
        add.visitInsn(Opcodes.IRETURN);
        add.visitMaxs(2, 2);
        add.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The parameters and annotations of a method, in the order of its class file. */
    private static List<String> parametersAndAnnotations(byte[] classFile, String method) {
        List<String> read = new ArrayList<>();
        new ClassReader(classFile).accept(new net.bytebuddy.jar.asm.ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return !name.equals(method) ? null : new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitParameter(String parameter, int parameterAccess) {
                        read.add("parameter " + parameter + " " + parameterAccess);
                    }

                    @Override
                    public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        read.add((visible ? "annotation " : "invisible annotation ") + annotation);
                        return null;
                    }
                };
            }
        }, ClassReader.SKIP_CODE);
        return read;
    }

    /**
     * The attributes of the class, of each field, method and record component, and of each
     * method's code, read from the bytes without ASM: name(length), sorted, by declaration.
     */
    static Map<String, List<String>> attributes(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipBytes(8);
        String[] utf8 = new String[in.readUnsignedShort()];
        for (int i = 1; i < utf8.length; i++) {
            int tag = in.readUnsignedByte();
            if (tag == 1) {
                utf8[i] = in.readUTF();
            } else if (tag == 5 || tag == 6) {
                in.skipBytes(8);
                i++;
            } else {
                in.skipBytes(tag == 7 || tag == 8 || tag == 16 || tag == 19 || tag == 20 ? 2 : tag == 15 ? 3 : 4);
            }
        }
        in.skipBytes(6);
        in.skipBytes(2 * in.readUnsignedShort());
        Map<String, List<String>> attributes = new TreeMap<>();
        for (String kind : new String[] {"field ", "method "}) {
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                in.skipBytes(2);
                String name = utf8[in.readUnsignedShort()];
                String declaration = kind + name + (kind.equals("field ") ? ":" : "") + utf8[in.readUnsignedShort()];
                attributes.put(declaration, read(in, utf8, declaration, attributes));
            }
        }
        attributes.put("class", read(in, utf8, "class", attributes));
        return attributes;
    }

    private static List<String> read(DataInputStream in, String[] utf8, String owner, Map<String, List<String>> all)
            throws IOException {
        List<String> names = new ArrayList<>();
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            String name = utf8[in.readUnsignedShort()];
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            names.add(name + "(" + body.length + ")");
            DataInputStream inner = new DataInputStream(new ByteArrayInputStream(body));
            if (name.equals("Code")) {
                inner.skipBytes(4);
                inner.skipBytes(inner.readInt());
                inner.skipBytes(8 * inner.readUnsignedShort());
                all.put(owner + " code", read(inner, utf8, owner + " code", all));
            } else if (name.equals("Record")) {
                int components = inner.readUnsignedShort();
                for (int c = 0; c < components; c++) {
                    String component = "component " + utf8[inner.readUnsignedShort()] + ":" + utf8[inner.readUnsignedShort()];
                    all.put(component, read(inner, utf8, component, all));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** Serves one class file as a resource and defines the class from it, as an application's loader would. */
    private static final class ServingLoader extends ClassLoader {
        private final byte[] classFile;
        int served;

        ServingLoader(byte[] classFile) {
            super(RetransformedClassFileTest.class.getClassLoader());
            this.classFile = classFile;
        }

        Class<?> define(String className) {
            return defineClass(className, classFile, 0, classFile.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            served++;
            return classFile == null ? null : new ByteArrayInputStream(classFile);
        }
    }
}
