package io.vi4j.core.train;

/**
 * One epoch's figures, per data item in nats. Test figures are NaN in epochs without an evaluation.
 *
 * @param epoch 1-based
 * @param trainNegElbo mean over the epoch's minibatches of the estimated −ELBO per item (the model moves
 *     during the epoch, so this is a running figure, not an evaluation)
 * @param trainReconstruction its reconstruction part, {@code −E_q log p(x|t)}
 * @param trainKl its KL part
 * @param testNegElbo −ELBO per item on the test split, evaluated after the epoch
 * @param testReconstruction its reconstruction part
 * @param testKl its KL part
 * @param trainSeconds wall time of the epoch's training steps
 * @param samplesPerSecond training items per second over the epoch's steps
 * @param evalSeconds wall time of the test evaluation
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
    double evalSeconds) {}
