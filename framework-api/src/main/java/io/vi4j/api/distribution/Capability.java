package io.vi4j.api.distribution;

/** What a {@link Distribution} can do. */
public enum Capability {
  /**
   * {@link Distribution#logProb} is a density (or mass): absent for a point mass, whose "posterior" is a
   * deterministic code (the plain autoencoder) and has no KL to a prior nor an importance weight.
   */
  DENSITY,
  /** {@link Distribution#sample(int)}: draws without a gradient path to the parameters. */
  SAMPLE,
  /** {@link Distribution#rsample(int)}: reparameterized draws, differentiable in the parameters. */
  RSAMPLE,
  /** {@link Distribution#entropy()} in closed form. */
  ENTROPY,
  /**
   * {@link Distribution#detached()}: the same distribution with its parameters cut from the graph (the
   * path-derivative estimator needs it to drop the score term of {@code log q}).
   */
  DETACH
}
