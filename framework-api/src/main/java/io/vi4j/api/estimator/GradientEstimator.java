package io.vi4j.api.estimator;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.model.LatentVariableModel;
import java.util.Map;
import java.util.Set;

/**
 * Turns the ELBO {@code Σ_i E_q log p(x_i | t) − KL(q(t | x_i) ‖ p(t))} of a minibatch into a surrogate
 * loss whose gradient with respect to every parameter of the model is this estimator's estimate.
 *
 * <p>An estimator may own parameters of its own (a learned control variate); they are returned by
 * {@link #network()} and trained by the same optimizer, from the same surrogate.
 */
public interface GradientEstimator extends io.vi4j.api.model.Trainable {

  /**
   * Builds the surrogate for one minibatch. Called inside an active gradient collector; every array it
   * makes must be attached to the batch's manager (the manager of {@code batch}).
   *
   * @param model the assembled model
   * @param batch shape {@code (B, D)}
   */
  ElboEstimate estimate(LatentVariableModel model, NDArray batch);

  /**
   * Builds the surrogate of the KL-weighted objective {@code Σ_i E_q log p(x_i | t) − β·KL(q(t | x_i) ‖ p(t))}:
   * KL annealing (Bowman et al. 2016, "Generating sentences from a continuous space"), the warm-up of
   * Sønderby et al. (2016, "Ladder variational autoencoders"), and with a final {@code β ≠ 1} the β-VAE
   * (Higgins et al. 2017). Only the gradient is of the weighted objective: the returned loss's value, its
   * reconstruction and its KL are those {@link #estimate(LatentVariableModel, NDArray)} reports, the
   * unweighted −ELBO, so that figures stay comparable whatever β.
   *
   * <p>The default serves {@code klWeight == 1} by {@link #estimate(LatentVariableModel, NDArray)} and
   * refuses any other weight; an estimator that weights the KL overrides this method and
   * {@link #supportsKlWeight()}. The trainer checks {@link #supportsKlWeight()} before training, so the
   * exception is a last resort.
   *
   * @param model the assembled model
   * @param batch shape {@code (B, D)}
   * @param klWeight {@code β ≥ 0}, the weight of the KL term in the gradient
   * @throws UnsupportedOperationException when {@code klWeight ≠ 1} and this estimator does not weight the KL
   */
  default ElboEstimate estimate(LatentVariableModel model, NDArray batch, double klWeight) {
    if (klWeight == 1.0) {
      return estimate(model, batch);
    }
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not weight the KL term (β = "
        + klWeight + "); it supports β = 1 only");
  }

  /**
   * @return whether {@link #estimate(LatentVariableModel, NDArray, double)} accepts a KL weight other than
   *     1; false by default
   */
  default boolean supportsKlWeight() {
    return false;
  }

  /** @return what this estimator needs from the variational family's posterior distributions. */
  Set<Capability> requiredPosteriorCapabilities();

  /**
   * @return how many latent samples it draws per item in a step (its {@code samples} setting): the trainer
   *     checks before the first step that a minibatch's {@code items × samples × D} decoder outputs fit in
   *     memory; 1 by default
   */
  default int samplesPerItem() {
    return 1;
  }

  /** @return what this estimator needs from the likelihood; by default nothing. */
  default Set<io.vi4j.api.model.LikelihoodCapability> requiredLikelihoodCapabilities() {
    return Set.of();
  }

  /**
   * The estimator's running state other than its trainable parameters (a moving-average baseline and
   * its count), by name. These are live arrays on the model's manager: a checkpoint copies them, a
   * resumed run overwrites them in place before its first step, and the trainer's divergence guard puts
   * them back to replay a window of steps and find the one that failed; so an estimator must keep every
   * value that carries from step to step in them (not in Java fields) for a resumed or replayed run to
   * continue exactly.
   *
   * @return named arrays, each of a fixed shape for the estimator's lifetime; empty by default
   */
  default Map<String, NDArray> runningState() {
    return Map.of();
  }

  /**
   * Whether the estimate is separable over the minibatch's rows, so that a trainer may split a step's
   * minibatch into slices computed side by side (on threads of one machine) and add their gradients: the
   * loss is the mean of per-row terms, each computed from its row alone; every draw goes through
   * {@link io.vi4j.api.kit.math.RowNoise} (the kit's distributions do), so that a row's noise does not
   * depend on the thread or the slice; and no state is updated in a step ({@link #runningState} empty).
   * A moving-average baseline, a leave-one-out control variate over the batch or a draw from the
   * engine's generator breaks it.
   *
   * @return false by default
   */
  default boolean rowSeparable() {
    return false;
  }
}
