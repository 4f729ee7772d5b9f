package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.kit.spec.Checks;

/**
 * Config of the {@code path-derivative} estimator.
 *
 * @param samples {@code K}, latent samples per data item (default 1)
 */
public record PathDerivativeSpec(Integer samples) implements EstimatorSpec {

  /** Fills defaults and validates. */
  public PathDerivativeSpec {
    samples = Checks.atLeast("samples", samples, 1, 1);
  }
}
