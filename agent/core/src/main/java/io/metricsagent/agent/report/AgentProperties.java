package io.metricsagent.agent.report;

/**
 * The system properties the agent sets in the JVM it runs in: the only thing a process outside
 * it (the {@code list} and {@code attach} commands, through the attach API) can read without
 * scraping, so they say whether the agent is there and how far it has come.
 */
public final class AgentProperties {

    /** The agent's version, set as soon as it starts (by premain or by an attach). */
    public static final String VERSION = "io.metricsagent.agent.version";
    /** Where {@code /metrics} is served, set once the endpoint is up. */
    public static final String ENDPOINT = "io.metricsagent.agent.endpoint";
    /**
     * After an attach: how many classes loaded before it were retransformed, set once all of
     * them have been (classes loading meanwhile are woven as they load).
     */
    public static final String RETRANSFORMED = "io.metricsagent.agent.retransformed_classes";

    private AgentProperties() {}

    /** The version in the jar's manifest, or {@code unknown} outside a built jar. */
    public static String version() {
        String version = AgentProperties.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    public static void publish(String key, String value) {
        try {
            System.setProperty(key, value);
        } catch (RuntimeException refused) {
            // A security manager may refuse: list and attach then only see less.
        }
    }
}
