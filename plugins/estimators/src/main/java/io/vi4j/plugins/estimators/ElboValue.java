package io.vi4j.plugins.estimators;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;

/**
 * What every estimator reports, whatever its gradient: the reconstruction term averaged over the
 * {@code K} samples and the KL term (analytic when the pair allows it, the {@code K}-sample Monte-Carlo
 * estimate otherwise), so that figures from different estimators are the same quantity. The gradient is
 * the estimator's surrogate's (Pyro's pattern: {@code value + (surrogate − stop(surrogate))}).
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
    NDArray value = reconstruction.add(kl).mean();
    NDArray mean = surrogate.mean();
    NDArray loss = mean.add(value.sub(mean.stopGradient()));
    return new ElboEstimate(loss, reconstruction, kl);
  }
}
