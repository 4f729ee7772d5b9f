package io.vi4j.core.checkpoint;

import java.util.Map;

/**
 * Everything a training run needs to continue exactly where it was.
 *
 * @param trainer the position and bookkeeping
 * @param tensors the arrays by name: {@code parameter/NAME} (the model's and the estimator's),
 *     {@code adam.m/NAME} and {@code adam.v/NAME} (Adam's moments), {@code estimator.state/NAME} (running
 *     baselines), {@code data.order} (the epoch's shuffled order of training items, int64), and
 *     {@code best.parameter/NAME} (the best epoch's parameters, when early stopping restores them)
 */
public record Checkpoint(TrainerState trainer, Map<String, HostTensor> tensors) {
  /** Prefix of parameter arrays. */
  public static final String PARAMETER = "parameter/";
  /** Prefix of Adam's first moments. */
  public static final String ADAM_FIRST = "adam.m/";
  /** Prefix of Adam's second moments. */
  public static final String ADAM_SECOND = "adam.v/";
  /** Prefix of the estimator's running state. */
  public static final String ESTIMATOR_STATE = "estimator.state/";
  /** Prefix of the best epoch's parameters (early stopping with {@code restore_best}). */
  public static final String BEST_PARAMETER = "best.parameter/";
  /** The epoch's shuffled order. */
  public static final String DATA_ORDER = "data.order";

  /**
   * @return the array called {@code name}
   * @throws CheckpointException when the checkpoint has none
   */
  public HostTensor tensor(String name) throws CheckpointException {
    HostTensor t = tensors.get(name);
    if (t == null) {
      throw new CheckpointException("the checkpoint holds no array '" + name + "'");
    }
    return t;
  }
}
