/**
 * The description model: what to record for a method ({@code MethodMeter}, its families, labels,
 * values, failure condition, error rules and nesting group) and the two readers that produce it,
 * from the annotations and from configuration rules, plus the rules and gauges as the
 * configuration file gives them, typed: what a rule selects and records (its own families, or the
 * payment preset's, whose keys are the preset's own), its failure condition, error entries and
 * nesting. Knows no bytecode and no metrics library; imports nothing of the agent.
 */
package io.metricsagent.agent.description;
