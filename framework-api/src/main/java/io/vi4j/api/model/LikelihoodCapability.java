package io.vi4j.api.model;

/** What a {@link Likelihood} offers beyond scoring data. */
public enum LikelihoodCapability {
  /**
   * {@code log p(x | t)} is differentiable in the latent {@code t}, so that pathwise (reparameterized)
   * gradients can flow through it to the encoder.
   */
  LATENT_GRADIENT
}
