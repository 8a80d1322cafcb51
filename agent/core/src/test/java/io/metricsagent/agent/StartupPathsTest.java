package io.metricsagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metricsagent.agent.weaving.MeteredClassTransformer;
import io.metricsagent.bootstrap.MeterBridge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The start-up rule, read from the agent's class files: no lambda, method reference or {@code +}
 * string concatenation (on --release 11 an {@code invokedynamic} of StringConcatFactory) in any
 * method of the agent that runs on the application's thread while it starts or per woven call.
 * The JVM's first such call site bootstraps java.lang.invoke on whatever thread meets it, and the
 * application's {@code main} would wait for its classes and spun method handles. (The agent's
 * modules compile with -XDstringConcat=inline; this test is what notices if that goes.)
 *
 * <p>The methods checked are those reachable from the entry points below through the agent's own
 * code: static and constructor calls, virtual and interface calls to every own class that may
 * receive them, and the static initializer of every own class touched. Weaving is on it, since
 * transform weaves on the loading thread; scrape-time code (the families' snapshots) is not.
 * Calls into the JDK or the shaded libraries are not followed, so handing work to a thread
 * ({@code Thread.start}) ends a path, and so does a callback the JDK makes into an object of the
 * agent's (a ThreadLocal's initialValue, a map's compute function): those need their own entry.
 */
class StartupPathsTest {

    private static final String OWN = "io/metricsagent/";
    private static final Set<String> BOOTSTRAPS_OF_INVOKE = Set.of(
            "java/lang/invoke/LambdaMetafactory", "java/lang/invoke/StringConcatFactory");

    /**
     * Where the application's threads enter the agent, as class, method name and descriptor (a
     * {@code null} descriptor takes every overload).
     */
    private static final String[][] ENTRY_POINTS = {
        // premain runs on the application's main thread before main; whatever it reaches before the
        // metrics-start thread takes over delays main by its own time.
        {"io/metricsagent/agent/MetricsAgent", "premain", null},
        // Every class the application loads passes through transform on the loading thread; the
        // classes it weaves are woven right there, before the class's first use.
        {"io/metricsagent/agent/weaving/MeteredClassTransformer", "transform", null},
        // What woven methods call on every call (enter, started, record, finished, box and the
        // suspendable variants); each reaches the method's Recorder, whose first calls create
        // series (MethodRecorder's find and create, the families' series, SeriesLimit.admit).
        // Not register, which runs as a class is woven (reached from transform anyway), nor path,
        // the bootstrap of the path invokedynamic that the weaver puts into application classes by
        // design, which is java.lang.invoke itself.
        {"io/metricsagent/bootstrap/MeterBridge", "enter", null},
        {"io/metricsagent/bootstrap/MeterBridge", "started", null},
        {"io/metricsagent/bootstrap/MeterBridge", "recordedRoot", null},
        {"io/metricsagent/bootstrap/MeterBridge", "box", null},
        {"io/metricsagent/bootstrap/MeterBridge", "finished", null},
        {"io/metricsagent/bootstrap/MeterBridge", "record", null},
        {"io/metricsagent/bootstrap/MeterBridge", "recordSuspendable", null},
        // What the path's call site is bound to, once its bootstrap has run: each call's path read.
        {"io/metricsagent/bootstrap/MeterBridge$PathReader", "read", null},
        {"io/metricsagent/bootstrap/MeterBridge$PathReader", "readNumber", null},
        // Called back by the JDK on the same calls: the thread-locals of the nesting groups and of
        // the recording thread's cells, and the key of a suspended call in its map.
        {"io/metricsagent/bootstrap/MeterBridge$EnteredGroups", "initialValue", null},
        {"io/metricsagent/agent/metrics/CellWriter$Current", "initialValue", null},
        {"io/metricsagent/bootstrap/MeterBridge$IdentityKey", "hashCode", null},
        {"io/metricsagent/bootstrap/MeterBridge$IdentityKey", "equals", null},
        // Woven constructors of classes with @MeteredGauge instance methods hand each new instance over.
        {"io/metricsagent/bootstrap/GaugeBridge", "track", null},
    };

    private final Map<String, OwnClass> classes = readOwnClasses();

    @Test
    void noMethodOnTheApplicationsThreadBootstrapsJavaLangInvoke() {
        Set<String> reached = reachable();
        Set<String> violations = new TreeSet<>();
        for (String method : reached) {
            for (String bootstrap : method(method).indyBootstraps) {
                if (BOOTSTRAPS_OF_INVOKE.contains(bootstrap)) {
                    int dot = method.indexOf('.');
                    violations.add(method.substring(0, dot).replace('/', '.') + method.substring(dot)
                            + " has an invokedynamic of " + bootstrap);
                }
            }
        }
        assertEquals(Set.of(), violations, "methods on the application's thread that bootstrap java.lang.invoke");
    }

    @Test
    void thePathsReachTheMethodsTheyAreMeantToCheck() {
        Set<String> reached = reachable();
        // If these fall out of the walk, the walk has gone blind, not the code clean.
        for (String expected : List.of(
                "io/metricsagent/agent/config/AgentOptions.parse",
                "io/metricsagent/agent/AgentRuntime.start",
                "io/metricsagent/agent/weaving/ClassWeaver.weave",
                "io/metricsagent/agent/metrics/MethodRecorder.record",
                "io/metricsagent/agent/metrics/SeriesTree.find",
                "io/metricsagent/agent/metrics/AdderFamily.series",
                "io/metricsagent/agent/metrics/SeriesLimit.admit",
                "io/metricsagent/agent/metrics/ErrorClassifier.classify")) {
            assertTrue(reached.stream().anyMatch(m -> m.startsWith(expected + "(")), expected + " not reached");
        }
        // The start-up thread's work is not on main's path.
        assertTrue(reached.stream().noneMatch(m -> m.startsWith("io/metricsagent/agent/export/MetricsServer.start(")));
    }

    private Set<String> reachable() {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String[] entry : ENTRY_POINTS) {
            OwnClass owner = classes.get(entry[0]);
            assertTrue(owner != null, entry[0] + " not found");
            int found = 0;
            for (String key : owner.methods.keySet()) {
                if (key.startsWith(entry[1] + "(") && (entry[2] == null || key.equals(entry[1] + entry[2]))) {
                    pending.add(entry[0] + "." + key);
                    found++;
                }
            }
            assertTrue(found > 0, entry[0] + "." + entry[1] + " not found");
        }
        while (!pending.isEmpty()) {
            String method = pending.poll();
            if (!reached.add(method)) {
                continue;
            }
            Method body = method(method);
            for (String touched : body.touchedClasses) {
                initializer(touched, pending);
            }
            for (String[] call : body.calls) {
                callees(call, pending);
            }
        }
        return reached;
    }

    private void initializer(String className, Deque<String> pending) {
        for (String type = className; classes.containsKey(type); type = classes.get(type).superName) {
            if (classes.get(type).methods.containsKey("<clinit>()V")) {
                pending.add(type + ".<clinit>()V");
            }
        }
    }

    /** The own methods a call may run: the one it resolves to and, for a virtual call, every override. */
    private void callees(String[] call, Deque<String> pending) {
        String owner = call[1];
        String key = call[2] + call[3];
        for (String type = owner; classes.containsKey(type); type = classes.get(type).superName) {
            if (classes.get(type).methods.containsKey(key)) {
                pending.add(type + "." + key);
                break;
            }
        }
        // Default methods of own interfaces.
        if (classes.containsKey(owner) && classes.get(owner).methods.containsKey(key)) {
            pending.add(owner + "." + key);
        }
        boolean virtual = call[0].equals("virtual") && !call[2].equals("<init>");
        if (!virtual) {
            return;
        }
        for (OwnClass candidate : classes.values()) {
            if (candidate.methods.containsKey(key) && isSubtype(candidate.name, owner)) {
                pending.add(candidate.name + "." + key);
            }
        }
    }

    private boolean isSubtype(String type, String ancestor) {
        if (type == null || !classes.containsKey(type)) {
            return false;
        }
        OwnClass c = classes.get(type);
        if (c.name.equals(ancestor)) {
            return true;
        }
        if (isSubtype(c.superName, ancestor)) {
            return true;
        }
        for (String i : c.interfaces) {
            if (isSubtype(i, ancestor)) {
                return true;
            }
        }
        return false;
    }

    private Method method(String qualified) {
        int dot = qualified.indexOf('.');
        return classes.get(qualified.substring(0, dot)).methods.get(qualified.substring(dot + 1));
    }

    private static Map<String, OwnClass> readOwnClasses() {
        Map<String, OwnClass> classes = new HashMap<>();
        for (Class<?> anchor : List.of(MeteredClassTransformer.class, MeterBridge.class)) {
            Path location = classesLocation(anchor);
            // The reactor hands over a module's class directory up to its test phase, its jar from package on.
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location, (ClassLoader) null);
                 Stream<Path> files = Files.walk(jar == null ? location : jar.getPath("/"))) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                    OwnClass c = read(f);
                    classes.put(c.name, c);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classes;
    }

    /** The class-file directory or jar a class was loaded from, as Maven's reactor puts it on the test class path. */
    private static Path classesLocation(Class<?> anchor) {
        try {
            return Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OwnClass read(Path file) {
        OwnClass c = new OwnClass();
        try (InputStream in = Files.newInputStream(file)) {
            new ClassReader(in).accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    /** Calls as {kind, owner, name, descriptor}, where kind is "virtual" for a dispatched call. */
    private static final class Method {
        final List<String[]> calls = new ArrayList<>();
        final Set<String> touchedClasses = new LinkedHashSet<>();
        final List<String> indyBootstraps = new ArrayList<>();
    }

    private static final class OwnClass extends ClassVisitor {
        String name;
        String superName;
        String[] interfaces;
        final Map<String, Method> methods = new HashMap<>();

        OwnClass() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces;
        }

        @Override
        public MethodVisitor visitMethod(int access, String methodName, String descriptor, String signature,
                                         String[] exceptions) {
            Method method = new Method();
            methods.put(methodName + descriptor, method);
            method.touchedClasses.add(name);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String callee, String desc, boolean isInterface) {
                    if (owner.startsWith(OWN)) {
                        boolean dispatched = opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE;
                        method.calls.add(new String[] {dispatched ? "virtual" : "direct", owner, callee, desc});
                        method.touchedClasses.add(owner);
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    if (owner.startsWith(OWN) && (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC)) {
                        method.touchedClasses.add(owner);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String indyName, String desc, Handle bootstrap, Object... args) {
                    method.indyBootstraps.add(bootstrap.getOwner());
                }
            };
        }
    }
}
