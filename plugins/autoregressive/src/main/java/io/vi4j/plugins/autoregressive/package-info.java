/**
 * The chain rule {@code p(x) = Π_d p(x_d | x_<d)} as a baseline: MADE (Germain et al. 2015, "MADE: Masked
 * Autoencoder for Distribution Estimation"), one network whose weight masks make output {@code d} depend
 * on inputs {@code 1..d−1} only, so that a single pass gives every conditional and the exact
 * {@code log p(x)}, while drawing a new item takes one pass per dimension. Registered as the
 * {@code density} type {@code made}: trained by maximum likelihood with vi4j's trainer.
 *
 * <p>Shapes: data batches {@code (B, D)} float32; network outputs {@code (B, D)} logits (Bernoulli) or
 * {@code (B, 2D)} means then log-variances (Gaussian); log-likelihoods {@code (B)} nats; samples
 * {@code (n, D)}.
 */
package io.vi4j.plugins.autoregressive;
