package io.vi4j.core.testing;

import java.util.Random;

/** Test data with missing cells (NaN) for the baselines' tests: cells hidden at random, and column-mean fills. */
public final class IncompleteRowsData {
  private IncompleteRowsData() {}

  /**
   * Hides each cell with probability {@code p} (MCAR), keeping one random cell of a row that would lose all.
   *
   * @param complete row-major {@code n × d}
   * @return a copy with the hidden cells NaN
   */
  public static float[] hide(float[] complete, int d, double p, long seed) {
    Random random = new Random(seed);
    float[] out = complete.clone();
    int n = complete.length / d;
    for (int i = 0; i < n; i++) {
      int hidden = 0;
      for (int j = 0; j < d; j++) {
        if (random.nextDouble() < p) {
          out[i * d + j] = Float.NaN;
          hidden++;
        }
      }
      if (hidden == d) {
        int keep = random.nextInt(d);
        out[i * d + keep] = complete[i * d + keep];
      }
    }
    return out;
  }

  /** @return a copy of {@code values} ({@code n × d}) with every NaN set to its column's observed mean */
  public static float[] meanFilled(float[] values, int d) {
    return io.vi4j.api.data.IncompleteData.meanFilled(values, d);
  }
}
