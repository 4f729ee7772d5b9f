/**
 * Likelihoods (decoders): {@code bernoulli-mlp} (logits, for data in [0, 1]) and {@code gaussian-mlp}
 * (a mean head and either a learned per-dimension variance head σ²(t) or a fixed σ).
 */
package io.vi4j.plugins.decoders;
