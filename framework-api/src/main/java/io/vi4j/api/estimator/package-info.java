/** Gradient estimators: turn a minibatch ELBO into a surrogate loss whose gradient is the estimate. */
package io.vi4j.api.estimator;
