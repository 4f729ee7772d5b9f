package io.vi4j.core.config;

/**
 * How a trained model is evaluated on the test split.
 *
 * @param iwaeK importance samples per item for the log-likelihood (0 skips it)
 * @param iwaeItems how many test items (the first ones) the log-likelihood is estimated on (0 = all)
 * @param elboSamples latent samples per item for the test −ELBO's reconstruction term
 * @param maxChunkElements largest number of floats one evaluation chunk's decoder output may hold;
 *     bounds memory whatever {@code iwae_k}
 */
public record EvaluationSpec(
    Integer iwaeK, Integer iwaeItems, Integer elboSamples, Integer maxChunkElements) {

  /** The defaults: k = 1000 on the first 1000 test items, 1-sample ELBO. */
  public static EvaluationSpec defaults() {
    return new EvaluationSpec(null, null, null, null);
  }

  /** Fills defaults and validates. */
  public EvaluationSpec {
    iwaeK = Checks.atLeast("iwae_k", iwaeK, 1000, 0);
    iwaeItems = Checks.atLeast("iwae_items", iwaeItems, 1000, 0);
    elboSamples = Checks.atLeast("elbo_samples", elboSamples, 1, 1);
    maxChunkElements = Checks.atLeast("max_chunk_elements", maxChunkElements, 1 << 23, 1024);
  }
}
