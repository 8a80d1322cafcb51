package io.metricsagent.agent.weaving;

import java.io.IOException;
import java.io.InputStream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;

/** Reads the declarations of a class the application can see, from its class file: nothing is loaded. */
final class ClassFiles {

    private ClassFiles() {}

    /**
     * Passes the class's declarations (no code, frames or debug information) to {@code visitor}.
     *
     * @return false when the loader has no such class file or it cannot be read
     */
    static boolean readDeclarations(ClassLoader loader, String internalName, ClassVisitor visitor) {
        ClassReader reader = reader(loader, internalName);
        if (reader == null) {
            return false;
        }
        try {
            reader.accept(visitor, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A reader of the class file, or {@code null} when the loader has none or it cannot be read. */
    static ClassReader reader(ClassLoader loader, String internalName) {
        byte[] classFile = bytes(loader, internalName);
        try {
            return classFile == null ? null : new ClassReader(classFile);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The class file's bytes, or {@code null} when the loader has none or it cannot be read. */
    static byte[] bytes(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        try (InputStream in = loader != null ? loader.getResourceAsStream(resource)
                : ClassLoader.getSystemResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
