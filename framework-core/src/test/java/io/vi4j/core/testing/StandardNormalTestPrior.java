package io.vi4j.core.testing;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Prior;
import io.vi4j.api.kit.distribution.StandardNormal;

/** {@code N(0, I_L)} as a prior, for test models built from core parts only. */
public record StandardNormalTestPrior(int latentDimension) implements Prior {
  @Override
  public Distribution distribution(NDManager manager, long batchSize) {
    return new StandardNormal(manager, batchSize, latentDimension);
  }
}
