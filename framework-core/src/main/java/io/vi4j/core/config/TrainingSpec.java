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
 * @param klWeight the weight β of the KL term and its warm-up; null (absent) means β = 1 throughout
 * @param lrSchedule how the learning rate changes per epoch; null (absent) means constant
 * @param validation a validation split carved from the training split; null (absent) means none
 * @param earlyStopping stop when the validation −ELBO stops improving (needs {@code validation}); null
 *     (absent) means every epoch is trained
 * @param shards how many threads a step's minibatch is split over, each computing the gradient of its
 *     slice of rows on one engine thread ({@code io.vi4j.core.train.StepThreads}); 0 or absent means
 *     chosen by the machine's cores and the batch (held as null), 1 means one slice (the figures of every
 *     machine alike)
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
    CheckpointSpec checkpoint,
    KlWeightSpec klWeight,
    LrScheduleSpec lrSchedule,
    ValidationSpec validation,
    EarlyStoppingSpec earlyStopping,
    Integer shards) {

  /** The defaults: 10 epochs of batches of 128 at learning rate 1e-3. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(null, null, null, null, null, null, null, null, null);
  }

  /** Settings without schedules, validation split or early stopping. */
  public TrainingSpec(
      Integer epochs, Integer batchSize, Double learningRate, Double beta1, Double beta2, Double epsilon,
      Integer evaluateEvery, Double clipGradient, CheckpointSpec checkpoint) {
    this(epochs, batchSize, learningRate, beta1, beta2, epsilon, evaluateEvery, clipGradient, checkpoint, null, null,
        null, null, null);
  }

  /**
   * @return these settings with the schedules, validation split and early stopping given (each may be
   *     null: off)
   */
  public TrainingSpec withSchedules(
      KlWeightSpec klWeight, LrScheduleSpec lrSchedule, ValidationSpec validation, EarlyStoppingSpec earlyStopping) {
    return new TrainingSpec(epochs, batchSize, learningRate, beta1, beta2, epsilon, evaluateEvery, clipGradient,
        checkpoint, klWeight, lrSchedule, validation, earlyStopping, shards);
  }

  /** @return the slices a step is cut into, 0 when chosen per machine ({@link #shards} absent) */
  public int shardCount() {
    return shards == null ? 0 : shards;
  }

  /** @return these settings with the steps split over {@code shards} slices (0: chosen per machine). */
  public TrainingSpec withShards(int shards) {
    return new TrainingSpec(epochs, batchSize, learningRate, beta1, beta2, epsilon, evaluateEvery, clipGradient,
        checkpoint, klWeight, lrSchedule, validation, earlyStopping, shards);
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
    // 0 (choose) is kept as absent, so that a config without the key resolves, and digests, as before
    shards = Checks.atLeast("shards", shards, 0, 0) == 0 ? null : shards;
    checkSchedules(epochs, learningRate, klWeight, lrSchedule, validation, earlyStopping);
  }

  /** The checks that relate a schedule to the other settings; each message names the fields. */
  private static void checkSchedules(int epochs, double learningRate, KlWeightSpec klWeight, LrScheduleSpec lrSchedule,
      ValidationSpec validation, EarlyStoppingSpec earlyStopping) {
    if (klWeight != null && klWeight.warmupEpochs() > epochs) {
      throw new IllegalArgumentException("kl_weight.warmup_epochs (" + klWeight.warmupEpochs()
          + ") is longer than training (epochs: " + epochs + "); shorten the warm-up or train longer");
    }
    if (lrSchedule instanceof LrScheduleSpec.Step step && step.stepEpochs() >= epochs) {
      throw new IllegalArgumentException("lr_schedule.step_epochs (" + step.stepEpochs() + ") is not below epochs ("
          + epochs + "): the rate would never change");
    }
    if (lrSchedule instanceof LrScheduleSpec.Cosine cosine && !(cosine.minLearningRate() < learningRate)) {
      throw new IllegalArgumentException("lr_schedule.min_learning_rate (" + cosine.minLearningRate()
          + ") must be below learning_rate (" + learningRate + ")");
    }
    if (lrSchedule instanceof LrScheduleSpec.ReduceOnPlateau plateau && plateau.minLearningRate() > learningRate) {
      throw new IllegalArgumentException("lr_schedule.min_learning_rate (" + plateau.minLearningRate()
          + ") must be at most learning_rate (" + learningRate + ")");
    }
    if (earlyStopping != null && validation == null) {
      throw new IllegalArgumentException("early_stopping needs a validation split to monitor: add"
          + " training.validation, e.g. {fraction: 0.1, seed: 0}");
    }
  }
}
