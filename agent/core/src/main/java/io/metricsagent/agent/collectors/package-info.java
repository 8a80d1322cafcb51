/**
 * The built-in collectors served beside the woven metrics: the agent's own health
 * ({@code metrics_agent_*}, read from the parts of the agent it is given), the JVM's metrics and
 * the host sampler (memory, CPU) on OSHI, off the application's threads. Imports the options and
 * the config watch, the metrics and the weaving state whose counts it serves, the bridge's error
 * counts and the reporting leaf.
 */
package io.metricsagent.agent.collectors;
