/**
 * The bridge on the bootstrap class path that woven application code calls: {@code MeterBridge}
 * for metered methods, {@code GaugeBridge} for gauge instances. Depends on {@code java.base} alone.
 */
package io.metricsagent.bootstrap;
