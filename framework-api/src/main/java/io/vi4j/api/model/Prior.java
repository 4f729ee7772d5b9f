package io.vi4j.api.model;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;

/** The prior {@code p(t)} over the latent space. */
public interface Prior extends Trainable {

  /** @return the latent dimension {@code L}. */
  int latentDimension();

  /**
   * The prior as a distribution with batch shape {@code (B)} and event size {@code L}.
   *
   * @param manager where its arrays (and the noise of its samples) live; a per-batch manager in training
   * @param batchSize {@code B}; the log-density broadcasts over any leading shape whatever {@code B} is
   */
  Distribution distribution(NDManager manager, long batchSize);
}
