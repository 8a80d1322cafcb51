/**
 * The agent jar as a command: {@code list}, {@code attach <pid>} and {@code check}. Runs in its own
 * JVM, never in the application's; imports the options, the check and the reporting leaf.
 */
package io.metricsagent.agent.attach;
