package io.metricsagent.agent.weaving;

import io.metricsagent.agent.description.PathStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Resolves a path such as {@code customer.tier} on a parameter's or return value's declared type
 * when the method is woven, by reading class files (nothing is loaded): each step is a no-argument
 * getter {@code getTier()}, {@code isTier()} or {@code tier()}, or a field {@code tier}; a method
 * of exactly the step's name taking one {@code String} (or {@code Object}, {@code CharSequence})
 * or {@code int}, given the step's literal; each found on the type or its supertypes and visible
 * from the woven class. A step {@code as(com.shop.Type)} makes that type the one later steps
 * resolve on. The result is what the {@code invokedynamic} bootstrap links.
 */
final class PathResolver {

    /**
     * One resolved step: {@code m owner name descriptor} (a getter), {@code f owner name descriptor}
     * (a field), {@code s owner name descriptor text} or {@code i owner name descriptor number} (a
     * method given that literal, the text running to the end), or {@code c type} (the value if it is
     * one, else {@code null}).
     */
    static final class Step {
        final String encoded;
        final Type result;

        Step(String encoded, Type result) {
            this.encoded = encoded;
            this.result = result;
        }
    }

    private static final String GETTER = "()";
    /** What a method given a text literal may take, in the order they are looked for. */
    private static final String[] TEXT_PARAMETERS = {
        "(Ljava/lang/String;)", "(Ljava/lang/CharSequence;)", "(Ljava/lang/Object;)",
    };
    private static final String[] INT_PARAMETERS = {"(I)"};

    private final ClassLoader loader;
    private final ClassReader woven;
    private final String wovenClass;
    /**
     * The classes read so far, by internal name ({@code null}: no class file): a class's paths
     * walk the same few types again and again (a servlet's request and its supertypes, for the
     * method, the route and the gates).
     */
    private final Map<String, Members> read = new HashMap<>();

    /**
     * @param woven the class being woven, which paths from {@code this} start at: read from these
     *              bytes, as a class made at run time (a JDK proxy, a subclass a framework
     *              generates) has no class file its loader could serve
     */
    PathResolver(ClassLoader loader, ClassReader woven) {
        this.loader = loader;
        this.woven = woven;
        this.wovenClass = woven.getClassName();
    }

    /**
     * @throws IllegalArgumentException naming the step that does not resolve and why
     */
    List<Step> resolve(Type root, List<String> path) {
        List<Step> steps = new ArrayList<>();
        Type type = root;
        for (String written : path) {
            if (type.getSort() != Type.OBJECT) {
                throw new IllegalArgumentException("'" + written + "' cannot be read from a " + type.getClassName());
            }
            PathStep step = PathStep.parse(written);
            Step resolved;
            if (step.kind() == PathStep.Kind.CAST) {
                resolved = cast(step.name());
            } else if (step.kind() == PathStep.Kind.CALL) {
                resolved = call(type.getInternalName(), step.name(), step.literal());
                if (resolved == null) {
                    throw new IllegalArgumentException("no visible method " + step.name() + "("
                            + (step.literal() instanceof String ? "String" : "int") + ") on " + type.getClassName());
                }
            } else {
                resolved = find(type.getInternalName(), step.name());
                if (resolved == null) {
                    throw new IllegalArgumentException("no visible getter or field '" + written + "' on "
                            + type.getClassName());
                }
            }
            steps.add(resolved);
            type = resolved.result;
        }
        return steps;
    }

    private Step find(String owner, String name) {
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String[] getters = {"get" + capitalized, "is" + capitalized, name};
        for (String getter : getters) {
            Step step = findMember(owner, owner, getter, GETTER);
            if (step != null) {
                return step;
            }
        }
        return findMember(owner, owner, name, null);
    }

    /** The method {@code name} taking the literal, a text or an int, bound to it. */
    private Step call(String owner, String name, Object literal) {
        String[] parameters = literal instanceof String ? TEXT_PARAMETERS : INT_PARAMETERS;
        for (String parameter : parameters) {
            Step step = findMember(owner, owner, name, parameter);
            if (step != null) {
                return new Step((literal instanceof String ? "s" : "i") + step.encoded.substring(1) + " " + literal,
                        step.result);
            }
        }
        return null;
    }

    /** {@code as(com.shop.Type)}: a class the woven class can see and name. */
    private Step cast(String javaName) {
        String internalName = javaName.replace('.', '/');
        Members members = read(internalName);
        if (members == null) {
            throw new IllegalArgumentException("as(" + javaName + "): no such class is visible to " + wovenClass.replace('/', '.'));
        }
        if ((members.access & Opcodes.ACC_PUBLIC) == 0 && !samePackage(internalName)) {
            throw new IllegalArgumentException("as(" + javaName + "): the class is not public");
        }
        return new Step("c " + internalName, Type.getObjectType(internalName));
    }

    /**
     * Searches {@code type} and its supertypes; the step names {@code owner}, the static type.
     *
     * @param parameters a method's parameter list, as {@code (I)}, or {@code null} for a field
     */
    private Step findMember(String owner, String type, String name, String parameters) {
        Members members = read(type);
        if (members == null) {
            return null;
        }
        boolean field = parameters == null;
        for (Member m : field ? members.fields : members.methods) {
            if (m.name.equals(name) && (field || m.descriptor.startsWith(parameters)) && visible(owner, type, m.access)) {
                Type result = field ? Type.getType(m.descriptor) : Type.getReturnType(m.descriptor);
                if (!field && result.getSort() == Type.VOID) {
                    continue;
                }
                return new Step((field ? "f " : "m ") + owner + " " + name + " " + m.descriptor, result);
            }
        }
        List<String> supertypes = new ArrayList<>(members.interfaces);
        // Object has no getter a path could mean (getClass() is no label), and reading it would
        // open the JDK's module image on the application's thread.
        if (members.superName != null && !members.superName.equals("java/lang/Object")) {
            supertypes.add(0, members.superName);
        }
        for (String supertype : supertypes) {
            Step step = findMember(owner, supertype, name, parameters);
            if (step != null) {
                return step;
            }
        }
        return null;
    }

    // What a lookup from the woven class may read: public members of a public type, anything but
    // private in its own package, and its own private members.
    private boolean visible(String owner, String declaring, int access) {
        if ((access & Opcodes.ACC_STATIC) != 0) {
            return false;
        }
        if (declaring.equals(wovenClass)) {
            return true;
        }
        Members ownerMembers = read(owner);
        boolean ownerPublic = ownerMembers != null && (ownerMembers.access & Opcodes.ACC_PUBLIC) != 0;
        if ((access & Opcodes.ACC_PUBLIC) != 0 && (ownerPublic || samePackage(owner))) {
            return true;
        }
        return (access & Opcodes.ACC_PRIVATE) == 0 && samePackage(owner) && samePackage(declaring);
    }

    private boolean samePackage(String internalName) {
        return packageOf(internalName).equals(packageOf(wovenClass));
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    private static boolean takesStepParameters(String descriptor) {
        if (descriptor.startsWith(GETTER) || descriptor.startsWith(INT_PARAMETERS[0])) {
            return true;
        }
        for (String parameters : TEXT_PARAMETERS) {
            if (descriptor.startsWith(parameters)) {
                return true;
            }
        }
        return false;
    }

    private Members read(String internalName) {
        if (read.containsKey(internalName)) {
            return read.get(internalName);
        }
        Members members = new Members();
        if (internalName.equals(wovenClass)) {
            woven.accept(members, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } else if (!ClassFiles.readDeclarations(loader, internalName, members)) {
            members = null;
        }
        read.put(internalName, members);
        return members;
    }

    private static final class Member {
        final int access;
        final String name;
        final String descriptor;

        Member(int access, String name, String descriptor) {
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
        }
    }

    /** A class file's methods that can be steps (getters, and those a literal can be given), fields and supertypes. */
    private static final class Members extends ClassVisitor {
        final List<Member> methods = new ArrayList<>();
        final List<Member> fields = new ArrayList<>();
        final List<String> interfaces = new ArrayList<>();
        String superName;
        int access;

        Members() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.access = access;
            this.superName = superName;
            if (interfaces != null) {
                this.interfaces.addAll(List.of(interfaces));
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            fields.add(new Member(access, name, descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if ((access & Opcodes.ACC_SYNTHETIC) == 0 && takesStepParameters(descriptor)) {
                methods.add(new Member(access, name, descriptor));
            }
            return null;
        }
    }
}
