package io.metricsagent.agent.weaving;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Resolves a path such as {@code customer.tier} on a parameter's or return value's declared type
 * when the method is woven, by reading class files (nothing is loaded): each step is a no-argument
 * getter {@code getTier()}, {@code isTier()} or {@code tier()}, or a field {@code tier}, found on
 * the type or its supertypes and visible from the woven class. The result is what the
 * {@code invokedynamic} bootstrap links.
 */
final class PathResolver {

    /** One resolved step: {@code m owner name descriptor} or {@code f owner name descriptor}. */
    static final class Step {
        final String encoded;
        final Type result;

        Step(String encoded, Type result) {
            this.encoded = encoded;
            this.result = result;
        }
    }

    private final ClassLoader loader;
    private final ClassReader woven;
    private final String wovenClass;

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
        for (String name : path) {
            if (type.getSort() != Type.OBJECT) {
                throw new IllegalArgumentException("'" + name + "' cannot be read from a " + type.getClassName());
            }
            Step step = find(type.getInternalName(), name);
            if (step == null) {
                throw new IllegalArgumentException("no visible getter or field '" + name + "' on " + type.getClassName());
            }
            steps.add(step);
            type = step.result;
        }
        return steps;
    }

    private Step find(String owner, String name) {
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String[] getters = {"get" + capitalized, "is" + capitalized, name};
        for (String getter : getters) {
            Step step = findMember(owner, owner, getter, false);
            if (step != null) {
                return step;
            }
        }
        return findMember(owner, owner, name, true);
    }

    /** Searches {@code type} and its supertypes; the step names {@code owner}, the static type. */
    private Step findMember(String owner, String type, String name, boolean field) {
        Members members = read(type);
        if (members == null) {
            return null;
        }
        for (Member m : field ? members.fields : members.methods) {
            if (m.name.equals(name) && visible(owner, type, m.access)) {
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
            Step step = findMember(owner, supertype, name, field);
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

    private Members read(String internalName) {
        Members members = new Members();
        if (internalName.equals(wovenClass)) {
            woven.accept(members, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return members;
        }
        return ClassFiles.readDeclarations(loader, internalName, members) ? members : null;
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

    /** A class file's no-argument methods, fields and supertypes. */
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
            if (descriptor.startsWith("()") && (access & Opcodes.ACC_SYNTHETIC) == 0) {
                methods.add(new Member(access, name, descriptor));
            }
            return null;
        }
    }
}
