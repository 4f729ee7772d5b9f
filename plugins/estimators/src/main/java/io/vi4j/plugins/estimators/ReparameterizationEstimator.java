package io.vi4j.plugins.estimators;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.LikelihoodCapability;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.Set;

/**
 * The reparameterization (pathwise) gradient of Kingma &amp; Welling (2014) and Rezende et al. (2014):
 * {@code t_k = g(ε_k; φ)}, {@code ε_k ~ p(ε)}, so that
 * {@code ∇_φ E_q f(t) = E_ε ∇_φ f(g(ε; φ))}, estimated with {@code K} draws per item in one tensor
 * dimension. The KL term is analytic when the prior and family allow it, a {@code K}-sample Monte-Carlo
 * estimate otherwise. Under a KL weight {@code β} (KL annealing and warm-up, β-VAE) the KL term's gradient is
 * weighted by {@code β}.
 */
public final class ReparameterizationEstimator implements GradientEstimator {
  private final int samples;

  /** @param samples {@code K} */
  public ReparameterizationEstimator(int samples) {
    this.samples = samples;
  }

  @Override
  public int samplesPerItem() {
    return samples;
  }

  /** @param batch shape {@code (B, D)} */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
    ElboTerms terms = ElboTerms.estimate(model, batch, samples, true);
    NDArray loss = terms.negativeElbo().mean();
    return new ElboEstimate(loss, terms.reconstruction().stopGradient(), terms.kl().stopGradient());
  }

  /**
   * The gradient of {@code E_q log p(x | t) − β·KL}: the KL term (analytic or Monte-Carlo) enters the
   * surrogate times {@code β}; the value reported is the unweighted −ELBO.
   *
   * @param batch shape {@code (B, D)}
   */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch, double klWeight) {
    if (ElboValue.checkKlWeight(klWeight) == 1.0) {
      return estimate(model, batch);
    }
    ElboTerms terms = ElboTerms.estimate(model, batch, samples, true);
    NDArray surrogate = terms.reconstruction().add(NdMath.times(terms.kl(), klWeight));
    return ElboValue.withValue(terms.reconstruction().stopGradient(), terms.kl().stopGradient(), surrogate);
  }

  @Override
  public boolean supportsKlWeight() {
    return true;
  }

  @Override
  public Set<Capability> requiredPosteriorCapabilities() {
    return EnumSet.of(Capability.RSAMPLE, Capability.DENSITY);
  }

  /** Pathwise gradients flow through {@code log p(x | t)} to the encoder. */
  @Override
  public Set<LikelihoodCapability> requiredLikelihoodCapabilities() {
    return EnumSet.of(LikelihoodCapability.LATENT_GRADIENT);
  }

  /** Separable over rows: the mean of per-row terms; its noise is the posterior's {@code rsample}, drawn per row inside a RowNoise scope. */
  @Override
  public boolean rowSeparable() {
    return true;
  }
}
