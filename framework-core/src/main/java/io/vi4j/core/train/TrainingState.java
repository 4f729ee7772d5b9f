package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;

/**
 * What training changes and a checkpoint must save to resume it exactly: every trained parameter (the
 * model's, then the estimator's as {@code estimator.NAME}), Adam's state, and the estimator's running
 * state.
 *
 * @param parameters the trained parameters by unique name, in a fixed order
 * @param optimizer Adam, with its moments and step count
 * @param estimatorState the estimator's running arrays by name (baselines' averages), each of a fixed shape
 * @param items items in the training split
 * @param batchSize items per minibatch (the last one may be smaller)
 * @param stepsPerEpoch minibatches per epoch
 */
public record TrainingState(
    List<Pair<String, Parameter>> parameters,
    ResumableAdam optimizer,
    Map<String, NDArray> estimatorState,
    int items,
    int batchSize,
    int stepsPerEpoch) {}
