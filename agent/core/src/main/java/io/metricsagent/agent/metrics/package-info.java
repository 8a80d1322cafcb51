/**
 * Recording and serving: the recorder each woven method calls through the bridge, the families
 * and their cells, series limits, gauges read at scrape time (their sources, and the reflective
 * reading of their accessors), and {@code AgentMetrics}, which holds one agent's
 * families, gauges, registry and failure counts. Imports the description model, the options, the
 * bridge and the reporting leaf.
 */
package io.metricsagent.agent.metrics;
