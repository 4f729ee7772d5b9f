package io.vi4j.plugins.estimators;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.LikelihoodCapability;
import java.util.EnumSet;
import java.util.Set;

/**
 * The plain autoencoder's loss, {@code −log p(x | t = m(x))}: cross-entropy for a Bernoulli decoder,
 * {@code ‖x − μ(t)‖²/(2σ²) + const} for a Gaussian decoder with fixed σ (mean squared error up to scale).
 * With a deterministic encoder there is no KL and no ELBO; the reported KL is NaN, and the model is
 * compared on reconstruction error only.
 */
public final class AutoencoderLoss implements GradientEstimator {

  /** @param batch shape {@code (B, D)} */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
    Distribution code = model.encoder().posterior(batch);
    NDArray reconstruction = model.decoder().conditional(code.rsample(1)).logProb(batch).squeeze(0).neg();
    NDArray kl = reconstruction.zerosLike().add(Float.NaN);
    return new ElboEstimate(reconstruction.mean(), reconstruction.stopGradient(), kl);
  }

  @Override
  public Set<Capability> requiredPosteriorCapabilities() {
    return EnumSet.of(Capability.RSAMPLE);
  }

  @Override
  public Set<LikelihoodCapability> requiredLikelihoodCapabilities() {
    return EnumSet.of(LikelihoodCapability.LATENT_GRADIENT);
  }

  /** Separable over rows: the mean of per-row reconstruction losses, with no noise. */
  @Override
  public boolean rowSeparable() {
    return true;
  }
}
