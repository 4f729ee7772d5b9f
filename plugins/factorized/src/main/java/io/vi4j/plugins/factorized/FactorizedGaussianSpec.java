package io.vi4j.plugins.factorized;

import io.vi4j.api.plugin.BaselineSpec;
import io.vi4j.api.kit.spec.Checks;

/**
 * Config of the {@code factorized-gaussian} baseline: {@code p(x) = Π_d N(x_d; μ_d, v_d)}.
 *
 * @param varianceFloor lower bound on every {@code v_d} (default 1e-6), so that a constant dimension (a
 *     pixel that is always black) does not make the density infinite
 */
public record FactorizedGaussianSpec(Double varianceFloor) implements BaselineSpec {

  /** Fills the default and validates. */
  public FactorizedGaussianSpec {
    varianceFloor = Checks.positive("variance_floor", varianceFloor, 1e-6);
  }

  /** @return the defaults ({@code variance_floor = 1e-6}). */
  public static FactorizedGaussianSpec defaults() {
    return new FactorizedGaussianSpec(null);
  }
}
