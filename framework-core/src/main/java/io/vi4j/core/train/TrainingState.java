package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;

/**
 * What training changes and a checkpoint must save to resume it exactly: every trained parameter (the
 * model's, then the estimator's as {@code estimator.NAME}), Adam's state, and the estimator's running
 * state, and the best epoch's parameters when early stopping is to restore them.
 *
 * @param parameters the trained parameters by unique name, in a fixed order
 * @param optimizer Adam, with its moments and step count
 * @param estimatorState the estimator's running arrays by name (baselines' averages), each of a fixed shape
 * @param items items trained on (the training split less a validation split)
 * @param batchSize items per minibatch (the last one may be smaller)
 * @param stepsPerEpoch minibatches per epoch
 * @param bestParameters copies of the parameters of the best epoch so far by the names of
 *     {@code parameters} (live arrays restored in place), or empty when they are not kept
 *     ({@code training.early_stopping.restore_best})
 */
public record TrainingState(
    List<Pair<String, Parameter>> parameters,
    ResumableAdam optimizer,
    Map<String, NDArray> estimatorState,
    int items,
    int batchSize,
    int stepsPerEpoch,
    Map<String, NDArray> bestParameters) {

  /** A state without best parameters. */
  public TrainingState(List<Pair<String, Parameter>> parameters, ResumableAdam optimizer,
      Map<String, NDArray> estimatorState, int items, int batchSize, int stepsPerEpoch) {
    this(parameters, optimizer, estimatorState, items, batchSize, stepsPerEpoch, Map.of());
  }
}
