package io.metricsagent.agent.config;

import io.metricsagent.agent.description.Preset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The presets shipped in the agent jar, as {@code io/metricsagent/agent/presets/NAME.yml}, each
 * with what puts it in force: the classes it selects by name, and for its rules by supertype the
 * parameters of the methods they select. Those are written here too, so that choosing presets at
 * start reads no YAML (SnakeYAML costs some 35 ms in premain): a test holds them equal to what
 * each file selects.
 */
public final class Presets {

    /**
     * Each preset's name, then what puts it in force: the Java names of classes, and the starts
     * of method descriptors, written from {@code (}.
     */
    private static final String[][] SHIPPED = {
        {"hikaricp", "com.zaxxer.hikari.pool.HikariPool"},
        {"http_server",
            "(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;Ljakarta/servlet/FilterChain;)",
            "(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)",
            "(Ljavax/servlet/ServletRequest;Ljavax/servlet/ServletResponse;Ljavax/servlet/FilterChain;)",
            "(Ljavax/servlet/ServletRequest;Ljavax/servlet/ServletResponse;)",
            "(Lcom/sun/net/httpserver/HttpExchange;)"},
        // A driver's Connection class is transformed before java.sql.Connection loads as its
        // interface: what every application loads before its first connection puts jdbc in force
        // first (the driver's Driver, DriverManager, a DataSource). Its methods' parameters, a
        // String or none, are in nearly every class's pool.
        {"jdbc", "java.sql.Connection", "java.sql.Statement", "java.sql.Driver", "java.sql.DriverManager",
            "javax.sql.DataSource"},
        {"scheduled", "org.springframework.scheduling.support.ScheduledMethodRunnable"},
    };
    static final String ALL = "all";
    static final String NONE = "none";

    private Presets() {}

    /** The names of the shipped presets, in the order they are put in force. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String[] preset : SHIPPED) {
            names.add(preset[0]);
        }
        return names;
    }

    /** The shipped preset of that name, or {@code null}. */
    static Preset named(String name) {
        for (String[] preset : SHIPPED) {
            if (preset[0].equals(name)) {
                List<String> classes = new ArrayList<>();
                List<String> descriptors = new ArrayList<>();
                for (String trigger : List.of(preset).subList(1, preset.length)) {
                    (trigger.startsWith("(") ? descriptors : classes).add(trigger);
                }
                return new Shipped(name, classes, descriptors);
            }
        }
        return null;
    }

    /**
     * The preset's file as shipped, comments and all: a configuration file's {@code metrics:} and
     * {@code gauges:}, to copy and adapt; {@code null} for a name no preset has.
     */
    public static String text(String name) {
        if (named(name) == null) {
            return null;
        }
        try (InputStream in = Presets.class.getResourceAsStream(resource(name))) {
            if (in == null) {
                throw new IllegalStateException(resource(name) + " is missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(resource(name) + " cannot be read: " + e, e);
        }
    }

    private static String resource(String name) {
        return "/io/metricsagent/agent/presets/" + name + ".yml";
    }

    /** A preset read from its file in the jar. */
    private static final class Shipped extends Preset {
        Shipped(String name, List<String> classes, List<String> descriptors) {
            super(name, classes, descriptors);
        }

        @Override
        public Contents read() {
            YamlConfig file = YamlConfig.readPreset(name(), text(name()));
            return new Contents(file.rules, file.gauges);
        }
    }
}
