package io.vi4j.api.kit.elbo;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.LatentVariableModel;

/**
 * The two terms of the per-item negative ELBO, {@code −E_q log p(x | t)} and {@code KL(q(t|x) ‖ p(t))},
 * estimated with {@code K} latent samples per item.
 *
 * @param reconstruction shape {@code (B)}: {@code −(1/K) Σ_k log p(x | t_k)}, nats
 * @param kl shape {@code (B)}: analytic when the pair allows it, else {@code (1/K) Σ_k log q(t_k) − log p(t_k)};
 *     NaN for a posterior without a density (a deterministic encoder)
 * @param analyticKl whether {@link #kl} is the closed form
 */
public record ElboTerms(NDArray reconstruction, NDArray kl, boolean analyticKl) {

  /**
   * Estimates both terms.
   *
   * @param model the assembled model
   * @param batch shape {@code (B, D)}
   * @param samples {@code K}, latent samples per item
   * @param reparameterized draw with {@code rsample} (gradients flow to the encoder through t) or with
   *     {@code sample} (no path through t)
   */
  public static ElboTerms estimate(
      LatentVariableModel model, NDArray batch, int samples, boolean reparameterized) {
    Distribution posterior = model.encoder().posterior(batch);
    NDArray latent = reparameterized ? posterior.rsample(samples) : posterior.sample(samples);
    return of(model, batch, posterior, latent);
  }

  /**
   * Both terms for latents already drawn from {@code posterior}.
   *
   * @param batch shape {@code (B, D)}
   * @param posterior {@code q(t | x)} with batch shape {@code (B)}
   * @param latent shape {@code (K, B, L)}
   */
  public static ElboTerms of(
      LatentVariableModel model, NDArray batch, Distribution posterior, NDArray latent) {
    NDArray logLikelihood = model.decoder().conditional(latent).logProb(batch);
    NDArray reconstruction = logLikelihood.mean(new int[] {0}).neg();
    Distribution prior =
        model.prior().distribution(batch.getManager(), batch.getShape().get(0));
    var closedForm = posterior.analyticKl(prior);
    if (closedForm.isPresent()) {
      return new ElboTerms(reconstruction, closedForm.get(), true);
    }
    if (!posterior.capabilities().contains(io.vi4j.api.distribution.Capability.DENSITY)) {
      // A point mass (deterministic code) has no KL to a density: there is no ELBO, only reconstruction.
      return new ElboTerms(reconstruction, reconstruction.zerosLike().add(Float.NaN), false);
    }
    NDArray kl = posterior.logProb(latent).sub(prior.logProb(latent)).mean(new int[] {0});
    return new ElboTerms(reconstruction, kl, false);
  }

  /** @return {@code reconstruction + kl}, shape {@code (B)}: the per-item negative ELBO. */
  public NDArray negativeElbo() {
    return reconstruction.add(kl);
  }
}
