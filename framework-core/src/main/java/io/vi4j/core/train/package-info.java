/**
 * The generic stochastic-VI trainer: seeded minibatches, a gradient estimator's surrogate, Adam, and
 * per-epoch metrics, with one native-memory scope per batch.
 */
package io.vi4j.core.train;
