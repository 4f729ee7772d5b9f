package io.vi4j.plugins.encoders;

import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.VariationalFamilySpec;

/**
 * Config of the {@code per-item-gaussian} family: no encoder, a free {@code N(m_i, diag e^{v_i})} per
 * training item (non-amortized variational EM).
 *
 * @param learningRate Adam's step size for the training items' rows (default 0.5): a row is updated only
 *     in the steps whose minibatch holds its item, once per epoch, so it needs a larger step than the
 *     decoder's weights, which every step updates
 * @param inferenceSteps Adam steps that fit a test item's row with the model held fixed (default 100)
 * @param inferenceLearningRate Adam's step size for them (default 0.1)
 * @param inferenceSamples reparameterized samples per item and step for them (default 1)
 */
public record PerItemGaussianSpec(
    Double learningRate, Integer inferenceSteps, Double inferenceLearningRate, Integer inferenceSamples)
    implements VariationalFamilySpec {

  /** Fills defaults and validates. */
  public PerItemGaussianSpec {
    learningRate = Checks.positive("learning_rate", learningRate, 0.5);
    inferenceSteps = Checks.atLeast("inference_steps", inferenceSteps, 100, 1);
    inferenceLearningRate = Checks.positive("inference_learning_rate", inferenceLearningRate, 0.1);
    inferenceSamples = Checks.atLeast("inference_samples", inferenceSamples, 1, 1);
  }

  /** The defaults. */
  public static PerItemGaussianSpec defaults() {
    return new PerItemGaussianSpec(null, null, null, null);
  }
}
