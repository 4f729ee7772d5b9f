package io.vi4j.api.model;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Distribution;

/** The likelihood {@code p(x | t, w)}: a decoder network from latents to a distribution over data. */
public interface Likelihood extends Trainable {

  /**
   * The conditional distribution of data given latents.
   *
   * @param latent shape {@code (..., L)}, for example {@code (K, B, L)}
   * @return a distribution with batch shape {@code (...)} and event size {@code D}
   */
  Distribution conditional(NDArray latent);

  /** @return the data values this likelihood can score. */
  Support support();

  /**
   * @return what values it is a distribution of: a density on reals, or a mass on {0, 1} (which fixes
   *     the protocol its model is evaluated under); continuous by default
   */
  default io.vi4j.api.density.DataKind dataKind() {
    return io.vi4j.api.density.DataKind.CONTINUOUS;
  }

  /** @return what this likelihood offers; by default it is differentiable in the latent. */
  default java.util.Set<LikelihoodCapability> capabilities() {
    return java.util.EnumSet.of(LikelihoodCapability.LATENT_GRADIENT);
  }
}
