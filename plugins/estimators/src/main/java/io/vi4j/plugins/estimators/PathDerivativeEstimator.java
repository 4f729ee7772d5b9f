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
 * The path-derivative gradient ("sticking the landing", Roeder, Wu &amp; Duvenaud 2017): the ELBO is
 * written as {@code E_q[log p(x, t) − log q(t | x)]} with reparameterized {@code t}, and the score term
 * {@code ∇_φ log q_φ(t)} at fixed {@code t} — zero in expectation — is dropped by evaluating
 * {@code log q} with detached parameters. The estimate stays unbiased, and its variance vanishes as
 * {@code q} approaches the true posterior.
 */
public final class PathDerivativeEstimator implements GradientEstimator {
  private final int samples;

  /** @param samples {@code K} */
  public PathDerivativeEstimator(int samples) {
    this.samples = samples;
  }

  @Override
  public int samplesPerItem() {
    return samples;
  }

  /** @param batch shape {@code (B, D)} */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
    return estimate(model, batch, 1.0);
  }

  /**
   * The path derivative of {@code E_q[log p(x | t) + β·(log p(t) − log q(t | x))]}, the objective
   * {@code E_q log p(x | t) − β·KL}: the prior and (detached) posterior log-densities enter the surrogate
   * times {@code β}; the value reported is the unweighted −ELBO.
   *
   * @param batch shape {@code (B, D)}
   */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch, double klWeight) {
    ElboValue.checkKlWeight(klWeight);
    Distribution posterior = model.encoder().posterior(batch);
    Distribution prior = model.prior().distribution(batch.getManager(), batch.getShape().get(0));
    NDArray latent = posterior.rsample(samples);
    NDArray logLikelihood = model.decoder().conditional(latent).logProb(batch);
    NDArray logJoint = logLikelihood.add(ElboValue.weighted(prior.logProb(latent), klWeight));
    NDArray logQ = ElboValue.weighted(posterior.detached().logProb(latent), klWeight);
    NDArray surrogate = logQ.sub(logJoint).mean(new int[] {0});
    return ElboValue.report(logLikelihood, posterior, prior, latent, surrogate);
  }

  @Override
  public boolean supportsKlWeight() {
    return true;
  }

  @Override
  public Set<Capability> requiredPosteriorCapabilities() {
    return EnumSet.of(Capability.RSAMPLE, Capability.DETACH, Capability.DENSITY);
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
