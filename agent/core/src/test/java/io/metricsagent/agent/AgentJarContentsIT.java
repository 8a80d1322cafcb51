package io.metricsagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the shaded agent jar: everything relocated, the bridge only as a nested jar, the manifest. */
class AgentJarContentsIT {

    private static final List<String> ALLOWED_PREFIXES =
            Arrays.asList("META-INF/", "io/metricsagent/agent/", "io/metricsagent/shaded/");
    private static final String BOOTSTRAP_JAR = "META-INF/metrics-agent/bootstrap.jar";

    private static File agentJar;

    @BeforeAll
    static void locateJar() {
        String path = System.getProperty("agent.jar");
        assertNotNull(path, "system property agent.jar is not set");
        agentJar = new File(path);
        assertTrue(agentJar.isFile(), agentJar + " does not exist");
    }

    /** An entry is allowed under a prefix, or is one of the directories leading to a prefix. */
    private static boolean allowed(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix) || (name.endsWith("/") && prefix.startsWith(name))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> entryNames(JarFile jar) {
        List<String> names = new ArrayList<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            names.add(e.nextElement().getName());
        }
        return names;
    }

    @Test
    void everyEntryIsUnderAnAllowedPrefix() throws IOException {
        try (JarFile jar = new JarFile(agentJar)) {
            List<String> names = entryNames(jar);
            List<String> outside = new ArrayList<>();
            for (String name : names) {
                if (!allowed(name, ALLOWED_PREFIXES)) {
                    outside.add(name);
                }
            }
            assertEquals(Collections.emptyList(), outside, "entries outside " + ALLOWED_PREFIXES);
            assertTrue(names.contains("io/metricsagent/agent/MetricsAgent.class"), "MetricsAgent.class");
            assertTrue(names.contains("io/metricsagent/agent/weaving/MethodInstrumenter.class"), "MethodInstrumenter.class");
            assertTrue(names.contains("io/metricsagent/shaded/net/bytebuddy/jar/asm/ClassReader.class"), "relocated ASM");
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".class") && n.startsWith("io/metricsagent/shaded/net/bytebuddy/")
                    && !n.startsWith("io/metricsagent/shaded/net/bytebuddy/jar/asm/")), "ByteBuddy beyond its ASM");
            assertTrue(names.contains(
                    "io/metricsagent/shaded/io/prometheus/metrics/model/registry/PrometheusRegistry.class"),
                    "relocated Prometheus client");
        }
    }

    @Test
    void noUnrelocatedDependencyOrTopLevelBridgeClasses() throws IOException {
        List<String> forbidden = Arrays.asList("net/", "io/prometheus/", "oshi/", "org/slf4j/", "org/jspecify/",
                "com/sun/jna/", "org/yaml/", "io/metricsagent/bootstrap/", "io/metricsagent/api/");
        try (JarFile jar = new JarFile(agentJar)) {
            for (String name : entryNames(jar)) {
                for (String prefix : forbidden) {
                    if (name.startsWith(prefix)) {
                        fail(name + " is not relocated or must not be at the top level");
                    }
                }
            }
        }
    }

    @Test
    void bootstrapJarHoldsOnlyTheBridge() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar)) {
            ZipEntry nested = jar.getEntry(BOOTSTRAP_JAR);
            assertNotNull(nested, BOOTSTRAP_JAR + " is missing");
            try (InputStream in = jar.getInputStream(nested); JarInputStream bootstrap = new JarInputStream(in)) {
                for (JarEntry e = bootstrap.getNextJarEntry(); e != null; e = bootstrap.getNextJarEntry()) {
                    names.add(e.getName());
                }
            }
        }
        List<String> outside = new ArrayList<>();
        for (String name : names) {
            if (!allowed(name, Arrays.asList("META-INF/", "io/metricsagent/bootstrap/"))) {
                outside.add(name);
            }
        }
        assertEquals(Collections.emptyList(), outside, "bootstrap.jar entries outside the bridge package");
        assertTrue(names.contains("io/metricsagent/bootstrap/MeterBridge.class"), "MeterBridge in " + names);
        assertTrue(names.contains("io/metricsagent/bootstrap/MeterBridge$Recorder.class"), "Recorder in " + names);
        assertTrue(names.contains("io/metricsagent/bootstrap/GaugeBridge.class"), "GaugeBridge in " + names);
        assertTrue(names.contains("io/metricsagent/bootstrap/GaugeBridge$Tracker.class"), "Tracker in " + names);
    }

    @Test
    void manifestNamesTheAgentAndAllowsRetransformation() throws IOException {
        try (JarFile jar = new JarFile(agentJar)) {
            Manifest manifest = jar.getManifest();
            assertNotNull(manifest, "manifest");
            Attributes main = manifest.getMainAttributes();
            assertEquals("io.metricsagent.agent.MetricsAgent", main.getValue("Premain-Class"));
            assertEquals("io.metricsagent.agent.MetricsAgent", main.getValue("Agent-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals("true", main.getValue("Can-Redefine-Classes"));
        }
    }
}
