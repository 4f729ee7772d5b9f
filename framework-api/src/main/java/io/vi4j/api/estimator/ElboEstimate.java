package io.vi4j.api.estimator;

import ai.djl.ndarray.NDArray;

/**
 * What a gradient estimator returns for one minibatch.
 *
 * @param loss scalar, shape {@code ()}: its value is the minibatch estimate of the negative ELBO per data
 *     item in nats (the sum over the batch scaled by {@code 1/B}, which is {@code (N/B)·Σ} divided by
 *     {@code N}); its gradient is the estimator's estimate of the gradient of that quantity
 * @param reconstruction shape {@code (B)}: the estimate of {@code −E_q log p(x_i | t)} per item, nats,
 *     detached from the graph
 * @param kl shape {@code (B)}: {@code KL(q(t | x_i) ‖ p(t))} per item (analytic or Monte-Carlo), nats,
 *     detached from the graph
 */
public record ElboEstimate(NDArray loss, NDArray reconstruction, NDArray kl) {}
