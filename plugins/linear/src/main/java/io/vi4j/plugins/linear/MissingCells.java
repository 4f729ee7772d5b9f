package io.vi4j.plugins.linear;

import io.vi4j.api.data.Dataset;

/**
 * The checks a fit on training data with missing cells (NaN) makes first: every row has at least one
 * observed cell (a row with nothing observed carries no information and has no observed-data likelihood
 * to maximize), and every column has at least one (else its mean and variance are undefined).
 */
final class MissingCells {

  private MissingCells() {}

  /**
   * @param model what is being fitted, for the message ("ppca")
   * @throws IllegalArgumentException naming the first row (item index) with every cell missing, or the
   *     first column with no observed value
   */
  static void check(Dataset train, String model) {
    int n = train.rows();
    int d = train.columns();
    float[] values = train.values();
    boolean[] seen = new boolean[d];
    for (int i = 0; i < n; i++) {
      boolean any = false;
      for (int j = 0; j < d; j++) {
        if (!Float.isNaN(values[i * d + j])) {
          any = true;
          seen[j] = true;
        }
      }
      if (!any) {
        throw new IllegalArgumentException(train.name() + ": item " + i + " has every cell missing; " + model
            + " cannot be fitted to a row with nothing observed (drop the row)");
      }
    }
    for (int j = 0; j < d; j++) {
      if (!seen[j]) {
        throw new IllegalArgumentException(train.name() + ": column " + j + " has no observed value in "
            + n + " training items; " + model + " cannot estimate its mean (drop the column)");
      }
    }
  }
}
