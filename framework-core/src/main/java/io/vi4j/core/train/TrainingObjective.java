package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.core.eval.ElboReport;
import java.util.List;
import java.util.Map;

/**
 * What {@link SviTrainer} fits: the parameters, a differentiable surrogate loss per minibatch, and the
 * per-item figures of held-out data. A latent-variable model with its gradient estimator is one ({@link
 * LatentObjective}); a density with an exact, differentiable {@code log p(x)} is another ({@link
 * DensityObjective}), whose "ELBO" is {@code log p(x)} itself and whose KL term is 0.
 */
public interface TrainingObjective {

  /** @return the long-lived manager the parameters live on; the trainer's managers are its children. */
  NDManager manager();

  /**
   * @return every parameter by a unique name, in a fixed order: what checkpoints save and the divergence
   *     guard watches (Adam trains those that require a gradient)
   */
  List<Pair<String, Parameter>> parameters();

  /** @return running arrays the steps update in place (control-variate averages), by a unique name. */
  Map<String, NDArray> runningState();

  /** @return a family with free rows per training item, which the trainer updates row by row; or null. */
  default PerItemFamily perItemFamily() {
    return null;
  }

  /** @return whether {@link #estimate} applies a KL weight other than 1. */
  boolean supportsKlWeight();

  /** @return what computes the loss, for messages (the estimator's or the density's class name). */
  String lossName();

  /**
   * The minibatch's surrogate loss and its per-item terms.
   *
   * @param batch shape {@code (n, D)}
   * @param klWeight β, the weight of the KL term; exactly 1 unless a schedule says otherwise
   * @return the loss (a scalar: the minibatch's mean −ELBO, or a surrogate with its gradient), and the
   *     reconstruction and KL terms per item, shape {@code (n)} each
   */
  ElboEstimate estimate(NDArray batch, double klWeight);

  /**
   * @param data held-out items (validation or test)
   * @return the mean −ELBO per item with its terms
   */
  ElboReport evaluate(Dataset data);

  /**
   * @return the most floats one training item occupies in any array of a step (its widest layer, times
   *     the samples drawn per item where a layer sees each sample), for choosing the engine's threads
   *     ({@code StepThreads}); by default {@code columns}, the data's width
   * @param columns the data's width
   */
  default long widestPerItem(int columns) {
    return columns;
  }

  /**
   * @return whether a step computes convolutions (the trainer then probes, before the first step, whether
   *     the engine's stride-1 convolution gradient is sound on this machine; {@code Convolutions}); false
   *     by default
   */
  default boolean convolutional() {
    return false;
  }

  /**
   * @return whether a step's minibatch may be split into slices of rows computed side by side, their
   *     gradients added ({@code StepThreads}): the loss is the mean of per-row terms, each row's noise its
   *     own, and a step updates no running state; false by default
   */
  default boolean rowSeparable() {
    return false;
  }
}
