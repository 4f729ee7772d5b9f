package io.vi4j.plugins.priors;

import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.PriorSpec;

/**
 * Config of the {@code mixture} prior: a learned mixture of diagonal Gaussians.
 *
 * @param components {@code K}, the mixture's components (default 10, at least 1)
 */
public record MixturePriorSpec(Integer components) implements PriorSpec {

  /** Fills the default and validates. */
  public MixturePriorSpec {
    components = Checks.atLeast("components", components, 10, 1);
  }
}
