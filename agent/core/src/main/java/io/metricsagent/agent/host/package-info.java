/** The host sampler (memory, CPU) on OSHI, off the application's threads. Imports only the reporting leaf. */
package io.metricsagent.agent.host;
