package io.vi4j.api.density;

/** A density model that can fill missing coordinates by their exact conditional mean given the rest. */
public interface ConditionalImputer {

  /**
   * @param observed row-major {@code items × D}; values at missing positions are ignored
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @param items number of items
   * @return a copy of {@code observed} with each missing value replaced by {@code E[x_m | x_o]}
   */
  float[] conditionalMean(float[] observed, boolean[] missing, int items);
}
