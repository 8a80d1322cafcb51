/**
 * The options (command line, system properties, environment, a properties or YAML file), the
 * YAML configuration file's rules, gauges and error classification, each mistake named with its
 * line, and the watch that reloads the file when it changes (handing its rules to whatever the
 * wiring gives it). Imports only the description model ({@code description}) it reads rules into
 * and the reporting leaf.
 */
package io.metricsagent.agent.config;
