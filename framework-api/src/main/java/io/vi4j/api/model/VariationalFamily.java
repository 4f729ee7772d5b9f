package io.vi4j.api.model;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import java.util.Set;

/** The amortized variational family {@code q(t | x, φ)}: an encoder network from data to a posterior. */
public interface VariationalFamily extends Trainable {

  /**
   * The approximate posterior for each data item.
   *
   * @param data shape {@code (B, D)}
   * @return a distribution with batch shape {@code (B)} and event size {@code L}
   */
  Distribution posterior(NDArray data);

  /**
   * What every posterior of this family can do, declared up front so that an estimator that needs more
   * fails when the model is assembled rather than in the middle of training.
   */
  Set<Capability> posteriorCapabilities();
}
