/**
 * The options (command line, system properties, environment, a properties or YAML file) and the
 * YAML configuration file's rules, gauges and error classification, each mistake named with its
 * line. Imports only the description model ({@code instrument}) it reads rules into.
 */
package io.metricsagent.agent.config;
