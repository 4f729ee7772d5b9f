package io.vi4j.api.data;


/**
 * The checks a baseline's fit on training data with missing cells (NaN) makes first: every row has at least one
 * observed cell (a row with nothing observed carries no information and has no observed-data likelihood
 * to maximize), and every column has at least one (else its mean and variance are undefined); and what
 * the baselines share around them: observed column means, mean filling, and the cells a conditional mean
 * fills.
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

  /**
   * @param values row-major {@code n × D}, NaN where missing
   * @return each column's mean over its observed cells (summed in double precision, in row order); NaN for a
   *     column with no observed cell
   */
  public static double[] observedColumnMeans(float[] values, int d) {
    double[] mean = new double[d];
    long[] count = new long[d];
    for (int i = 0; i < values.length; i++) {
      if (!Float.isNaN(values[i])) {
        mean[i % d] += values[i];
        count[i % d]++;
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] = count[j] == 0 ? Double.NaN : mean[j] / count[j];
    }
    return mean;
  }

  /** @return a copy of {@code values} ({@code n × D}) with every NaN set to its column's observed mean */
  public static float[] meanFilled(float[] values, int d) {
    double[] mean = observedColumnMeans(values, d);
    float[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (Float.isNaN(out[i])) {
        out[i] = (float) mean[i % d];
      }
    }
    return out;
  }

  /**
   * The cells a conditional mean fills: those {@code missing} marks, and every NaN of {@code observed}.
   *
   * @param observed row-major {@code items × D}
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @return a new mask, {@code items × D}
   * @throws IllegalArgumentException when either array is not {@code items × D}
   */
  public static boolean[] unknownCells(float[] observed, boolean[] missing, int items, int d) {
    if (observed.length != items * d || missing.length != items * d) {
      throw new IllegalArgumentException("expected " + items + " × " + d + " values and mask entries, got "
          + observed.length + " and " + missing.length);
    }
    boolean[] unknown = missing.clone();
    for (int i = 0; i < unknown.length; i++) {
      unknown[i] |= Float.isNaN(observed[i]);
    }
    return unknown;
  }
}
