/**
 * Amortized variational families: {@code gaussian-mlp}, a diagonal Gaussian whose μ and log σ² an MLP
 * computes, {@code full-covariance-mlp}, a Gaussian with a per-item Cholesky factor, {@code planar-flow-mlp},
 * a diagonal Gaussian pushed through planar flows (log-density of its own draws only), and
 * {@code deterministic-mlp}, a point mass at an MLP's output (a plain autoencoder).
 */
package io.vi4j.plugins.encoders;
