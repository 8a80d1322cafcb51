/**
 * The wiring: {@code premain} and {@code agentmain} ({@link io.metricsagent.agent.MetricsAgent}), the
 * start-up thread that builds the rest ({@code AgentRuntime}), the watch on the configuration file
 * and the agent's own health metrics. The top of the house: it may import every package below;
 * none of them imports it.
 */
package io.metricsagent.agent;
