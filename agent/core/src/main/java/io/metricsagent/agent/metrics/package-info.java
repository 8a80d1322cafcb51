/**
 * Recording and serving: the recorder each woven method calls through the bridge, the families
 * and their cells, series limits, gauges read at scrape time, constant labels and the JVM
 * collectors. Imports the description model, the options, the bridge and the reporting leaf.
 */
package io.metricsagent.agent.metrics;
