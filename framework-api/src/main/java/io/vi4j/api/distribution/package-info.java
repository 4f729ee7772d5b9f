/** Batched probability distributions over vectors: log-densities, samples, entropies and KL divergences. */
package io.vi4j.api.distribution;
