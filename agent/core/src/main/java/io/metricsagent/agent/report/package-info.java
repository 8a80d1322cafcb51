/**
 * How the agent speaks of itself: its one-line messages on stderr, what a failure to start does to
 * the JVM ({@code strict}), and its version. A leaf every other package may import; it imports
 * nothing of the agent.
 */
package io.metricsagent.agent.report;
