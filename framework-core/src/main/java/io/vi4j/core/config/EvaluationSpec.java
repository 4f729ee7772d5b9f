package io.vi4j.core.config;

import io.vi4j.api.kit.spec.Checks;

import io.vi4j.core.data.Protocol;

/**
 * How a trained model is evaluated on the test split.
 *
 * @param iwaeK importance samples per item for the log-likelihood (0 skips it)
 * @param iwaeItems how many test items (the first ones) the log-likelihood is estimated on (0 = all)
 * @param elboSamples latent samples per item for the test −ELBO's reconstruction term
 * @param maxChunkElements largest number of floats the widest array of one evaluation chunk may hold (the
 *     decoder's output, or a network's widest layer; default 2²², 16 MiB); bounds memory whatever {@code iwae_k}
 * @param gradientVarianceDraws after training, measure the variance of the run's own estimator's encoder
 *     gradient over this many draws on the first training batch (0, the default, skips it)
 * @param protocol how test log-likelihoods are measured (see {@link Protocol}); null ({@code auto}, the
 *     default) chooses by the model: {@code dequantized-8bit} for densities on reals, {@code binarized}
 *     for masses on binarized data, {@code raw} for a Bernoulli model of grey levels
 */
public record EvaluationSpec(
    Integer iwaeK,
    Integer iwaeItems,
    Integer elboSamples,
    Integer maxChunkElements,
    Integer gradientVarianceDraws,
    Protocol protocol) {

  /** The defaults: k = 1000 on the first 1000 test items, 1-sample ELBO, no gradient variance. */
  public static EvaluationSpec defaults() {
    return new EvaluationSpec(null, null, null, null, null, null);
  }

  /** The settings without a gradient-variance measurement. */
  public EvaluationSpec(Integer iwaeK, Integer iwaeItems, Integer elboSamples, Integer maxChunkElements) {
    this(iwaeK, iwaeItems, elboSamples, maxChunkElements, null, null);
  }

  /** Fills defaults and validates. */
  public EvaluationSpec {
    iwaeK = Checks.atLeast("iwae_k", iwaeK, 1000, 0);
    iwaeItems = Checks.atLeast("iwae_items", iwaeItems, 1000, 0);
    elboSamples = Checks.atLeast("elbo_samples", elboSamples, 1, 1);
    maxChunkElements = Checks.atLeast("max_chunk_elements", maxChunkElements, 1 << 22, 1024);
    gradientVarianceDraws = Checks.atLeast("gradient_variance_draws", gradientVarianceDraws, 0, 0);
    if (gradientVarianceDraws == 1) {
      throw new IllegalArgumentException("gradient_variance_draws must be 0 (off) or at least 2, got 1");
    }
  }
}
