/**
 * The export side: the {@code /metrics} endpoint (auth, TLS) and pushes to a Pushgateway. Imports
 * the options and the reporting leaf; it serves whatever registry it is given.
 */
package io.metricsagent.agent.server;
