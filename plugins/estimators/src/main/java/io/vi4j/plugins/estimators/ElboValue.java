package io.vi4j.plugins.estimators;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.kit.math.NdMath;

/**
 * What every estimator reports, whatever its gradient: the reconstruction term averaged over the
 * {@code K} samples and the KL term (analytic when the pair allows it, the {@code K}-sample Monte-Carlo
 * estimate otherwise), so that figures from different estimators are the same quantity. The gradient is
 * the estimator's surrogate's (Pyro's pattern: {@code value + (surrogate − stop(surrogate))}). Under a KL
 * weight {@code β ≠ 1} only the surrogate is weighted: the value stays the unweighted −ELBO.
 */
final class ElboValue {
  private ElboValue() {}

  /**
   * @param logLikelihood shape {@code (K, B)}: {@code log p(x | t_k)}
   * @param posterior {@code q(t | x)}, batch {@code (B)}
   * @param prior {@code p(t)}, batch {@code (B)}
   * @param latent shape {@code (K, B, L)}: the draws behind {@code logLikelihood}
   * @param surrogate shape {@code (B)}: the per-item surrogate whose gradient is the estimate
   */
  static ElboEstimate report(
      NDArray logLikelihood, Distribution posterior, Distribution prior, NDArray latent, NDArray surrogate) {
    NDArray reconstruction = logLikelihood.stopGradient().mean(new int[] {0}).neg();
    NDArray kl = posterior.analyticKl(prior)
        .orElseGet(() -> posterior.logProb(latent).sub(prior.logProb(latent)).mean(new int[] {0}))
        .stopGradient();
    return withValue(reconstruction, kl, surrogate);
  }

  /**
   * The estimate whose value is the unweighted −ELBO per item and whose gradient is {@code surrogate}'s
   * batch mean.
   *
   * @param reconstruction shape {@code (B)}, detached: {@code −E_q log p(x | t)} per item
   * @param kl shape {@code (B)}, detached: the KL term per item
   * @param surrogate shape {@code (B)}: the per-item surrogate whose gradient is the estimate
   */
  static ElboEstimate withValue(NDArray reconstruction, NDArray kl, NDArray surrogate) {
    NDArray value = reconstruction.add(kl).mean();
    NDArray mean = surrogate.mean();
    NDArray loss = mean.add(value.sub(mean.stopGradient()));
    return new ElboEstimate(loss, reconstruction, kl);
  }

  /**
   * @param x any shape, on a differentiable path
   * @param klWeight {@code β}
   * @return {@code β·x}; {@code x} itself when {@code β = 1}, so that the unweighted objective's arithmetic
   *     is unchanged
   */
  static NDArray weighted(NDArray x, double klWeight) {
    return klWeight == 1.0 ? x : NdMath.times(x, klWeight);
  }

  /**
   * @return {@code klWeight}
   * @throws IllegalArgumentException unless it is a finite number ≥ 0
   */
  static double checkKlWeight(double klWeight) {
    if (!(klWeight >= 0) || Double.isInfinite(klWeight)) {
      throw new IllegalArgumentException("the KL weight β must be a finite number ≥ 0, got " + klWeight);
    }
    return klWeight;
  }
}
