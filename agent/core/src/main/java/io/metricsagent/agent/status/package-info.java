/**
 * The agent's own page at {@code /} and its JSON twin {@code /-/status}: what the agent has in
 * force and has woven, its families against {@code max_series}, its errors, and the live view of
 * each metered method, read from one scrape of the served registry and the agent's parts. Imports
 * the options and the config watch ({@code config}), the description model (what a family
 * records), the recorders ({@code metrics}), the rules in force ({@code weaving}) and the
 * reporting leaf; the endpoint ({@code export}) is handed the page by the wiring, and imports
 * nothing of it.
 */
package io.metricsagent.agent.status;
