package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.kit.spec.Checks;

/**
 * Config of the {@code reparameterization} estimator.
 *
 * @param samples {@code K}, latent samples per data item, drawn as one extra tensor dimension (default 1)
 */
public record ReparameterizationSpec(Integer samples) implements EstimatorSpec {

  /** Fills defaults and validates. */
  public ReparameterizationSpec {
    samples = Checks.atLeast("samples", samples, 1, 1);
  }
}
