/**
 * {@code check}: what a configuration file selects in jars, fat jars, wars and class folders,
 * listed with the weaver's own code and messages, nothing of the application loaded. Imports the
 * options, the description model and the weaving package's selection code.
 */
package io.metricsagent.agent.check;
