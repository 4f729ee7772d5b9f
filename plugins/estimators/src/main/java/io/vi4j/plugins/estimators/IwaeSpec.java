package io.vi4j.plugins.estimators;

import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.EstimatorSpec;

/**
 * Config of the {@code iwae} estimator.
 *
 * @param samples {@code k}, importance samples per data item, drawn as one extra tensor dimension
 *     (default 5); {@code k = 1} is the ELBO
 * @param gradient {@code standard} (default) or {@code dreg}
 */
public record IwaeSpec(Integer samples, IwaeGradient gradient) implements EstimatorSpec {

  /** Fills defaults and validates. */
  public IwaeSpec {
    samples = Checks.atLeast("samples", samples, 5, 1);
    gradient = gradient == null ? IwaeGradient.STANDARD : gradient;
  }
}
