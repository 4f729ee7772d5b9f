package io.vi4j.plugins.priors;

import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.PriorSpec;

/**
 * Config of the {@code mixture} prior: a learned mixture of diagonal Gaussians.
 *
 * @param components {@code K}, the mixture's components (default 10, at least 1)
 * @param minVariance a floor on every component's variance (default none): without one, the components
 *     of a prior trained beside a Gaussian decoder on dequantized data shrank to variances of 0.01
 *     (docs/benchmarks.md, issue 15)
 */
public record MixturePriorSpec(Integer components, Double minVariance) implements PriorSpec {

  /** Fills the default and validates. */
  public MixturePriorSpec {
    components = Checks.atLeast("components", components, 10, 1);
    minVariance = minVariance == null ? null : Checks.positive("min_variance", minVariance, 0);
  }

  /** {@code K} components whose variances have no floor. */
  public MixturePriorSpec(Integer components) {
    this(components, null);
  }
}
