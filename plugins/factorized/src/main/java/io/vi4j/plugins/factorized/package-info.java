/**
 * Fully factorized baselines, fitted exactly by maximum likelihood: {@code factorized-bernoulli}
 * ({@code Π_d Bernoulli(x_d; p_d)}, for binary data) and {@code factorized-gaussian}
 * ({@code Π_d N(x_d; μ_d, v_d)}, for continuous data). They are the floor every latent-variable model must
 * beat.
 *
 * <p>Shapes: data batches {@code (B, D)}; log-likelihoods {@code (B)} float64 nats; samples {@code (n, D)}
 * float32. Column sums are accumulated on the device in float64, chunk by chunk.
 */
package io.vi4j.plugins.factorized;
