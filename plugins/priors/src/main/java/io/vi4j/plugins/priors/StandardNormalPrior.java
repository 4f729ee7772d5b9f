package io.vi4j.plugins.priors;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Prior;
import io.vi4j.api.kit.distribution.StandardNormal;

/** {@code p(t) = N(0, I_L)}: no parameters, analytic KL against diagonal Gaussians. */
public final class StandardNormalPrior implements Prior {
  private final int latentDimension;

  /** @param latentDimension {@code L} */
  public StandardNormalPrior(int latentDimension) {
    this.latentDimension = latentDimension;
  }

  @Override
  public int latentDimension() {
    return latentDimension;
  }

  @Override
  public Distribution distribution(NDManager manager, long batchSize) {
    return new StandardNormal(manager, batchSize, latentDimension);
  }
}
