package io.vi4j.plugins.factorized;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.IncompleteData;
import java.nio.FloatBuffer;

/**
 * Per-dimension sample moments of a host dataset, accumulated on the device in float64 chunk by chunk,
 * each chunk in its own sub-manager.
 */
final class ColumnMoments {
  /** Items per chunk are chosen so that a chunk holds about this many values. */
  static final long CHUNK_ELEMENTS = 1L << 22;

  private ColumnMoments() {}

  /** @return {@code (1/N) Σ_n x_nd}, length {@code D}. */
  static double[] mean(Dataset data, NDManager manager) {
    return centredMoment(data, manager, null, false);
  }

  /** @return {@code (1/N) Σ_n (x_nd − μ_d)²}, length {@code D} (the ML variance, two-pass). */
  static double[] variance(Dataset data, NDManager manager, double[] mean) {
    return centredMoment(data, manager, mean, true);
  }

  private static double[] centredMoment(Dataset data, NDManager manager, double[] centre, boolean square) {
    int n = data.rows();
    int d = data.columns();
    if (n < 1) {
      throw new IllegalArgumentException(data.name() + ": no items to fit to");
    }
    int chunk = (int) Math.max(1, Math.min(n, CHUNK_ELEMENTS / d));
    try (NDManager work = manager.newSubManager()) {
      NDArray shift = centre == null ? null : work.create(centre);
      NDArray sum = work.zeros(new Shape(d), DataType.FLOAT64);
      for (int from = 0; from < n; from += chunk) {
        int to = Math.min(n, from + chunk);
        try (NDManager step = work.newSubManager()) {
          NDArray x = step.create(
                  FloatBuffer.wrap(data.values(), from * d, (to - from) * d).slice(),
                  new Shape(to - from, d))
              .toType(DataType.FLOAT64, false);
          if (shift != null) {
            x = x.sub(shift);
          }
          if (square) {
            x = x.square();
          }
          sum.addi(x.sum(new int[] {0}));
        }
      }
      double[] out = sum.toDoubleArray();
      for (int i = 0; i < d; i++) {
        out[i] /= n;
      }
      return out;
    }
  }

  /**
   * Moments over the observed cells of each column of data with missing cells (NaN), on the host in
   * float64: {@code count_d} the observed cells, {@code mean_d} their mean and {@code variance_d = (1/count_d)
   * Σ (x_nd − mean_d)²} (two-pass).
   *
   * @throws IllegalArgumentException naming the first column with no observed value
   */
  record Observed(double[] mean, double[] variance, long[] count) {}

  static Observed observed(Dataset data, String model) {
    int n = data.rows();
    int d = data.columns();
    if (n < 1) {
      throw new IllegalArgumentException(data.name() + ": no items to fit to");
    }
    float[] values = data.values();
    double[] mean = IncompleteData.observedColumnMeans(values, d);
    for (int j = 0; j < d; j++) {
      if (Double.isNaN(mean[j])) {
        throw new IllegalArgumentException(data.name() + ": column " + j + " has no observed value in " + n
            + " training items; " + model + " cannot estimate it (drop the column)");
      }
    }
    double[] variance = new double[d];
    long[] count = new long[d];
    for (int i = 0; i < values.length; i++) {
      if (!Float.isNaN(values[i])) {
        double c = values[i] - mean[i % d];
        variance[i % d] += c * c;
        count[i % d]++;
      }
    }
    for (int j = 0; j < d; j++) {
      variance[j] /= count[j];
    }
    return new Observed(mean, variance, count);
  }
}
