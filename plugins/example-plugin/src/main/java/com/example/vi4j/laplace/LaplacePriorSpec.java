package com.example.vi4j.laplace;

import io.vi4j.api.plugin.PriorSpec;

/**
 * Config of the {@code laplace} prior.
 *
 * @param scale the scale {@code b} of every coordinate (default 1)
 */
public record LaplacePriorSpec(Double scale) implements PriorSpec {

  /** Fills the default and validates. */
  public LaplacePriorSpec {
    scale = scale == null ? 1.0 : scale;
    if (!(scale > 0) || scale.isInfinite()) {
      throw new IllegalArgumentException("scale must be a positive finite number, got " + scale);
    }
  }
}
