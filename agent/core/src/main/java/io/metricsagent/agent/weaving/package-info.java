/**
 * The bytecode side: the transformer that sees classes load, the rules in force and how a class is
 * tested against them, class-file scanning, the weaver that inlines calls to the bootstrap bridge,
 * path resolution, retransformation of loaded classes and the repair of their rebuilt class files.
 * What one agent's weaver has in force and has woven is one {@code Weaving}, passed to each.
 * Imports the description model, the recorders ({@code metrics}), the bridge and the reporting leaf.
 */
package io.metricsagent.agent.weaving;
