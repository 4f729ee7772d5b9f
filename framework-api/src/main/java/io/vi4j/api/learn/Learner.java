package io.vi4j.api.learn;

import io.vi4j.api.data.DataSplits;

/**
 * Fits a model to data.
 *
 * @param <M> the kind of model fitted
 * @param <R> what a fit reports
 */
public interface Learner<M, R> {

  /**
   * Fits {@code model} to {@code data.train()}, reporting held-out figures on {@code data.test()}.
   *
   * @param model the model, changed in place
   * @param data the splits
   * @return the fit's report
   */
  R fit(M model, DataSplits data);
}
