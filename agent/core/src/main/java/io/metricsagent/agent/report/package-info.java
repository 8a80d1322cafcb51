/**
 * How the agent speaks of itself: its one-line messages on stderr, what a failure to start does to
 * the JVM ({@code strict}), and its version. A leaf every other package may import; it imports
 * only the options, for {@code strict}.
 */
package io.metricsagent.agent.report;
