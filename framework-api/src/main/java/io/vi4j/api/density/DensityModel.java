package io.vi4j.api.density;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** A model of {@code p(x)} that can be scored and sampled: the VAE and every baseline. */
public interface DensityModel {

  /**
   * {@code log p(x)} per item, exact or estimated (for a latent-variable model, importance-sampled; the
   * implementation says which).
   *
   * @param data shape {@code (B, D)}
   * @return shape {@code (B)}, nats
   */
  NDArray logLikelihood(NDArray data);

  /**
   * Draws new data items.
   *
   * @param count number of items {@code n}
   * @param manager where the result and any temporaries live
   * @return shape {@code (n, D)}
   */
  NDArray sample(int count, NDManager manager);
}
