/** The annotations an application may use: {@code @Metered}, {@code @MeteredPayment}, {@code @MeteredGauge}. No dependencies. */
package io.metricsagent.api;
