/**
 * The wiring: {@code premain} and {@code agentmain} ({@link io.metricsagent.agent.MetricsAgent}),
 * the agent as one object built once at start ({@code Agent}: its metrics, weaving state, config
 * watch and failure counters), the start-up thread that builds the rest ({@code AgentRuntime}),
 * the status page it hands the endpoint, and the bridge jar. The top of the house: it may import
 * every package below; none of them imports it.
 */
package io.metricsagent.agent;
