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
   * What is wrong with {@code value} in data column {@code column} beyond {@link #support()}, for a
   * likelihood whose columns take different kinds of values (a table of continuous, binary, categorical and
   * count columns); checked on both splits before training, after the support. None by default.
   *
   * @param value a value within {@link #support()}
   * @return null when the value can be scored, else what the column takes (such as {@code "a category code
   *     0..3"})
   */
  default String columnProblem(int column, double value) {
    return null;
  }

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
