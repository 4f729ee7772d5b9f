package io.vi4j.api.model;

/**
 * The values a likelihood can score: a closed interval, checked against a dataset before training so
 * that bad data fails with a message instead of NaNs.
 *
 * @param lower smallest admissible value
 * @param upper largest admissible value
 * @param description human words for the error message, such as "[0, 1] (Bernoulli targets)"
 */
public record Support(double lower, double upper, String description) {

  /** Every finite real number. */
  public static final Support REAL =
      new Support(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "any finite real");

  /** @return whether {@code value} is admissible (NaN never is). */
  public boolean contains(double value) {
    return value >= lower && value <= upper && !Double.isInfinite(value);
  }
}
