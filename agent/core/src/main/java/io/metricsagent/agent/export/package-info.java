/**
 * The export side: the {@code /metrics} endpoint (auth, TLS), pushes to a Pushgateway, and the
 * constant labels added to whatever either sends. Imports the options and the reporting leaf; it
 * serves whatever registry it is given.
 */
package io.metricsagent.agent.export;
