package com.example.studentt;

import io.vi4j.api.plugin.PriorSpec;

/**
 * The config of the {@code student-t} prior: {@code prior: {type: student-t, degrees_of_freedom: 5,
 * scale: 1.0}}.
 *
 * @param degreesOfFreedom ν, a whole number from 1 (Cauchy) up to 1000 (near a normal); default 5. Whole,
 *     because a sample's χ²_ν is drawn as the sum of ν squared standard normals on the engine
 * @param scale the scale {@code s} of every coordinate; default 1
 */
public record StudentTPriorSpec(Integer degreesOfFreedom, Double scale) implements PriorSpec {
  /** The largest ν accepted (beyond it the prior is a normal to float precision). */
  public static final int MAX_DEGREES_OF_FREEDOM = 1000;

  /** Fills defaults and validates, naming the field. */
  public StudentTPriorSpec {
    degreesOfFreedom = degreesOfFreedom == null ? 5 : degreesOfFreedom;
    if (degreesOfFreedom < 1 || degreesOfFreedom > MAX_DEGREES_OF_FREEDOM) {
      throw new IllegalArgumentException("degrees_of_freedom must be a whole number from 1 to "
          + MAX_DEGREES_OF_FREEDOM + ", got " + degreesOfFreedom);
    }
    scale = scale == null ? 1.0 : scale;
    if (!(scale > 0) || scale.isInfinite()) {
      throw new IllegalArgumentException("scale must be a positive finite number, got " + scale);
    }
  }
}
