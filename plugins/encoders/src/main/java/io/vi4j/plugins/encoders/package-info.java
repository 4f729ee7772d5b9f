/**
 * Amortized variational families: {@code gaussian-mlp}, a diagonal Gaussian whose μ and log σ² an MLP
 * computes, and {@code deterministic-mlp}, a point mass at an MLP's output (a plain autoencoder).
 */
package io.vi4j.plugins.encoders;
