/**
 * Linear-Gaussian baselines: {@code ppca}, probabilistic PCA (Tipping &amp; Bishop 1999, "Probabilistic
 * principal component analysis", JRSS B 61(3), 611-622), {@code p(x) = N(μ, W Wᵀ + σ² I)} with
 * {@code W} of shape {@code (D, q)}, fitted by its closed-form maximum-likelihood solution or by EM.
 *
 * <p>Shapes: data batches {@code (B, D)}; log-likelihoods {@code (B)} float64 nats; posterior means
 * {@code (B, q)} float64 with one shared {@code q × q} covariance; samples {@code (n, D)} float32. The
 * {@code D × D} sample covariance is accumulated on the device and decomposed on the host (commons-math3),
 * since the engine has no eigen-decomposition.
 */
package io.vi4j.plugins.linear;
