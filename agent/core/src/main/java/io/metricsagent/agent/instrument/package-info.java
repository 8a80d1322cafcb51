/**
 * The description model: what to record for a method ({@code MethodMeter}, its families, labels,
 * values, failure condition, error rules and nesting group) and the two readers that produce it,
 * from the annotations and from configuration rules, plus the rules and gauges as the
 * configuration gives them. Knows no bytecode and no metrics library; imports nothing of the agent.
 */
package io.metricsagent.agent.instrument;
