package io.metricsagent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The jars the build produced, as failsafe hands them over. */
final class Artifacts {

    private Artifacts() {}

    static Path agentJar() {
        return existing("agent.jar");
    }

    static Path sampleJar() {
        return existing("sample.jar");
    }

    static Path isolationDir() {
        return existing("isolation.dir");
    }

    static Path faultDir() {
        return existing("fault.dir");
    }

    /** The class path of a test application module: its jar and its target/lib. */
    static String classPath(Path moduleTarget, String artifactId) {
        return moduleTarget.resolve(artifactId + "-" + System.getProperty("project.version") + ".jar")
                + File.pathSeparator + moduleTarget.resolve("lib") + "/*";
    }

    static Path legacyJar() {
        return existing("legacy.jar");
    }

    static Path hostileDir() {
        return existing("hostile.dir");
    }

    static Path pluginDir() {
        return existing("plugin.dir");
    }

    static Path springDir() {
        return existing("spring.dir");
    }

    static Path kotlinDir() {
        return existing("kotlin.dir");
    }

    static Path jdbcDir() {
        return existing("jdbc.dir");
    }

    static Path reflectionJar() {
        return existing("reflection.jar");
    }

    static Path bootJar() {
        return existing("boot.jar");
    }

    static Path serviceJar() {
        return existing("service.jar");
    }

    static Path servletDir() {
        return existing("servlet.dir");
    }

    static Path httpServerDir() {
        return existing("httpserver.dir");
    }

    /** The OpenTelemetry Java agent, which the build copies from Maven Central. */
    static Path otelAgentJar() {
        return existing("otel.agent.jar");
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        assertTrue(value != null, property + " is not set: run the integration tests through Maven (mvn verify)");
        Path path = Paths.get(value).toAbsolutePath().normalize();
        assertTrue(Files.exists(path), path + " does not exist: build it first (mvn -DskipTests package)");
        return path;
    }
}
