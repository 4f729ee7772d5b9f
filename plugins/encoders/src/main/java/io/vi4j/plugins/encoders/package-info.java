/** Amortized variational families: {@code gaussian-mlp}, a diagonal Gaussian whose μ and log σ² an MLP computes. */
package io.vi4j.plugins.encoders;
