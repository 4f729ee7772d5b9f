package io.vi4j.core.config;

import io.vi4j.api.kit.spec.Checks;

/**
 * How the stochastic-VI trainer runs. Adam's defaults are PyTorch's.
 *
 * @param epochs passes over the training set
 * @param batchSize items per minibatch {@code n}; the last batch of an epoch may be smaller
 * @param learningRate Adam's step size
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator guard
 * @param evaluateEvery evaluate the test −ELBO every this many epochs (and always after the last)
 * @param clipGradient clip every gradient coordinate to {@code [−c, c]} before Adam (DJL's
 *     {@code clipGrad}); absent or 0 means no clipping
 * @param checkpoint when checkpoints are written (by {@code vi4j train}; the library trains without them
 *     unless asked)
 */
public record TrainingSpec(
    Integer epochs,
    Integer batchSize,
    Double learningRate,
    Double beta1,
    Double beta2,
    Double epsilon,
    Integer evaluateEvery,
    Double clipGradient,
    CheckpointSpec checkpoint) {

  /** The defaults: 10 epochs of batches of 128 at learning rate 1e-3. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(null, null, null, null, null, null, null, null, null);
  }

  /** Settings without gradient clipping. */
  public TrainingSpec(
      Integer epochs, Integer batchSize, Double learningRate, Double beta1, Double beta2, Double epsilon,
      Integer evaluateEvery) {
    this(epochs, batchSize, learningRate, beta1, beta2, epsilon, evaluateEvery, null, null);
  }

  /** Fills defaults and validates. */
  public TrainingSpec {
    epochs = Checks.atLeast("epochs", epochs, 10, 1);
    batchSize = Checks.atLeast("batch_size", batchSize, 128, 1);
    learningRate = Checks.positive("learning_rate", learningRate, 1e-3);
    beta1 = Checks.inRange("beta1", beta1, 0.9, 0, 1);
    beta2 = Checks.inRange("beta2", beta2, 0.999, 0, 1);
    epsilon = Checks.positive("epsilon", epsilon, 1e-8);
    evaluateEvery = Checks.atLeast("evaluate_every", evaluateEvery, 1, 1);
    if (clipGradient != null && !(clipGradient >= 0 && Double.isFinite(clipGradient))) {
      throw new IllegalArgumentException("clip_gradient must be a finite number ≥ 0 (0 = off), got " + clipGradient);
    }
    clipGradient = clipGradient == null ? 0.0 : clipGradient;
    checkpoint = checkpoint == null ? CheckpointSpec.defaults() : checkpoint;
  }
}
