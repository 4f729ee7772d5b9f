package io.vi4j.api.density;

import ai.djl.ndarray.NDArray;

/** A baseline with latent variables whose posterior mean represents an item (PPCA). */
public interface LatentRepresentation {

  /** @return the latent dimension {@code q}. */
  int latentDimension();

  /**
   * @param data shape {@code (B, D)}
   * @return shape {@code (B, q)}: {@code E[t | x]}
   */
  NDArray posteriorMean(NDArray data);
}
