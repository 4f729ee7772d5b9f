/**
 * The generic stochastic-VI trainer: seeded minibatches, a gradient estimator's surrogate, Adam, and
 * per-epoch metrics, with one native-memory scope per batch; the schedules and stopping rule of a fit
 * ({@code FitSchedules}, over {@link io.vi4j.core.train.schedule}).
 */
package io.vi4j.core.train;
