package io.vi4j.api.density;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;

/**
 * A density model fitted by its own exact procedure — closed form or EM — rather than by stochastic VI:
 * the factorized models, Gaussian mixtures and probabilistic PCA that the VAE is compared with. It shows
 * the same {@link DensityModel} face, so one evaluator scores every model.
 */
public interface BaselineModel extends DensityModel {

  /**
   * Fits the model to the training data, replacing any earlier fit.
   *
   * @param train {@code N × D} items
   * @param manager where the fitted parameters live (the model keeps using it; close it to free them)
   * @param seed seeds every random choice of the fit (initialization, restarts)
   */
  FitReport fit(Dataset train, NDManager manager, long seed);

  /** @return the number of free scalar parameters of the fitted model (for BIC and for tables). */
  long parameterCount();

  /** @return what values the model is a density of. */
  DataKind dataKind();
}
