package io.vi4j.core.train;

/**
 * One epoch's figures, per data item in nats. Test figures are NaN in epochs without an evaluation,
 * validation figures NaN without a validation split.
 *
 * @param epoch 1-based
 * @param trainNegElbo mean over the epoch's minibatches of the estimated −ELBO per item (the model moves
 *     during the epoch, so this is a running figure, not an evaluation); the unweighted −ELBO whatever the
 *     KL weight
 * @param trainReconstruction its reconstruction part, {@code −E_q log p(x|t)}
 * @param trainKl its KL part
 * @param testNegElbo −ELBO per item on the test split, evaluated after the epoch
 * @param testReconstruction its reconstruction part
 * @param testKl its KL part
 * @param trainSeconds wall time of the epoch's training steps
 * @param samplesPerSecond training items per second over the epoch's steps
 * @param evalSeconds wall time of the epoch's evaluations (validation and test)
 * @param learningRate Adam's learning rate during the epoch (NaN where not recorded: a checkpoint written
 *     before schedules existed)
 * @param klWeight the KL weight β of the epoch's last step (1 without {@code training.kl_weight}; NaN where
 *     not recorded)
 * @param validationNegElbo −ELBO per item on the validation split, evaluated after the epoch
 * @param validationReconstruction its reconstruction part
 * @param validationKl its KL part
 * @param stoppedEarly whether early stopping ended training after this epoch (before its last)
 */
public record EpochMetrics(
    int epoch,
    double trainNegElbo,
    double trainReconstruction,
    double trainKl,
    double testNegElbo,
    double testReconstruction,
    double testKl,
    double trainSeconds,
    double samplesPerSecond,
    double evalSeconds,
    double learningRate,
    double klWeight,
    double validationNegElbo,
    double validationReconstruction,
    double validationKl,
    boolean stoppedEarly) {

  /**
   * The figures of an epoch without a validation split, its learning rate and KL weight not recorded (NaN),
   * not stopped early.
   */
  public EpochMetrics(
      int epoch,
      double trainNegElbo,
      double trainReconstruction,
      double trainKl,
      double testNegElbo,
      double testReconstruction,
      double testKl,
      double trainSeconds,
      double samplesPerSecond,
      double evalSeconds) {
    this(epoch, trainNegElbo, trainReconstruction, trainKl, testNegElbo, testReconstruction, testKl, trainSeconds,
        samplesPerSecond, evalSeconds, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
  }

  /** @return these figures with the learning rate and KL weight given. */
  public EpochMetrics withSchedule(double rate, double weight) {
    return new EpochMetrics(epoch, trainNegElbo, trainReconstruction, trainKl, testNegElbo, testReconstruction, testKl,
        trainSeconds, samplesPerSecond, evalSeconds, rate, weight, validationNegElbo, validationReconstruction,
        validationKl, stoppedEarly);
  }

  /** @return these figures marked as the epoch after which early stopping ended training. */
  public EpochMetrics withStoppedEarly() {
    return new EpochMetrics(epoch, trainNegElbo, trainReconstruction, trainKl, testNegElbo, testReconstruction, testKl,
        trainSeconds, samplesPerSecond, evalSeconds, learningRate, klWeight, validationNegElbo, validationReconstruction,
        validationKl, true);
  }
}
