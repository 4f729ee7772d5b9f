package io.vi4j.plugins.factorized;

import io.vi4j.api.plugin.BaselineSpec;

/**
 * Config of the {@code factorized-bernoulli} baseline: {@code p(x) = Π_d p_d^{x_d} (1 − p_d)^{1 − x_d}}.
 *
 * @param epsilon the fitted {@code p_d} are clamped to {@code [ε, 1 − ε]} (default 1e-6, in
 *     {@code (0, 0.5)}), so that a pixel never seen on in training does not give {@code −∞} on test data
 */
public record FactorizedBernoulliSpec(Double epsilon) implements BaselineSpec {

  /** Fills the default and validates. */
  public FactorizedBernoulliSpec {
    epsilon = epsilon == null ? 1e-6 : epsilon;
    if (!(epsilon > 0 && epsilon < 0.5)) {
      throw new IllegalArgumentException("epsilon must be in (0, 0.5), got " + epsilon);
    }
  }

  /** @return the defaults ({@code ε = 1e-6}). */
  public static FactorizedBernoulliSpec defaults() {
    return new FactorizedBernoulliSpec(null);
  }
}
