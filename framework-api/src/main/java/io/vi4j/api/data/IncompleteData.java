package io.vi4j.api.data;


/**
 * The checks a baseline's fit on training data with missing cells (NaN) makes first: every row has at least one
 * observed cell (a row with nothing observed carries no information and has no observed-data likelihood
 * to maximize), and every column has at least one (else its mean and variance are undefined).
 */
public final class IncompleteData {

  private IncompleteData() {}

  /**
   * @param model what is being fitted, for the message ("ppca", "a gmm")
   * @throws IllegalArgumentException naming the first row (item index) with every cell missing, or the
   *     first column with no observed value
   */
  public static void check(Dataset train, String model) {
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

  /**
   * The rows in an order that puts rows with the same cells missing next to each other (an EM step then
   * factors each pattern's observed block once): by their missing pattern, then by index.
   *
   * @param values row-major {@code n × D}, NaN where missing
   * @return a permutation of {@code 0..n−1}
   */
  public static int[] byMissingPattern(double[] values, int n, int d) {
    java.util.Comparator<Integer> byPattern = (a, b) -> {
      for (int j = 0; j < d; j++) {
        boolean ma = Double.isNaN(values[a * d + j]);
        boolean mb = Double.isNaN(values[b * d + j]);
        if (ma != mb) {
          return ma ? 1 : -1;
        }
      }
      return Integer.compare(a, b);
    };
    return java.util.stream.IntStream.range(0, n).boxed().sorted(byPattern).mapToInt(Integer::intValue).toArray();
  }
}
