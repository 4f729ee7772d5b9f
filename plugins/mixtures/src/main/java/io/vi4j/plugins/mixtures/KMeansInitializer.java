package io.vi4j.plugins.mixtures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.vi4j.api.data.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The centres an EM run starts from: k-means++ seeding (Arthur &amp; Vassilvitskii 2007, "k-means++: the
 * advantages of careful seeding", SODA) on the host, on a uniform subsample of at most {@value
 * GaussianMixture#INIT_SUBSAMPLE} items, refined by up to {@value GaussianMixture#LLOYD_ITERATIONS} Lloyd
 * iterations (Lloyd 1982, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2)) on that
 * subsample, on the device ({@link SufficientStatistics#centreSums}). Every random choice comes from the
 * given {@link SplittableRandom}, in a fixed order: the subsample, then the seeds.
 *
 * <p>Neither side copies the subsample's values on the host: the seeding reads the training values in
 * place (shifting each as it reads it), and the Lloyd iterations gather the subsample's rows from the fit's
 * shifted items on the device, which hold the same float64 values. (Fresh memory is dear: on a 2-core
 * virtual machine the host copies and the float64 conversion of a 10,000-item subsample took 0.7 s.)
 *
 * <p>Shapes: items {@code (N, D)}; the subsample {@code (M, D)}, {@code M = min(N, INIT_SUBSAMPLE)};
 * centres {@code (K × D)} in the fit's shifted coordinates.
 */
final class KMeansInitializer {

  private KMeansInitializer() {}

  /**
   * @param train the training items, {@code (N, D)}
   * @param shift the fit's shift {@code (D)}
   * @param items the fit's shifted items {@code train − shift (N, D)} float64 on the device (a view will
   *     do)
   * @param chunk rows per device chunk of a Lloyd pass
   * @return {@code K × D} centres, shifted coordinates
   */
  static double[][] initialCentres(
      Dataset train,
      double[] shift,
      NDArray items,
      int components,
      int chunk,
      SplittableRandom random,
      NDManager scope) {
    int n = train.rows();
    int d = train.columns();
    int m = Math.min(n, GaussianMixture.INIT_SUBSAMPLE);
    // A uniform subsample without replacement: a partial Fisher–Yates shuffle.
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] rows = Arrays.copyOf(order, m);

    double[][] centres = kMeansPlusPlus(train.values(), d, rows, shift, components, random);

    long[] index = new long[m];
    for (int i = 0; i < m; i++) {
      index[i] = rows[i];
    }
    try (NDManager lloyd = scope.newSubManager()) {
      NDArray sub = items.get(lloyd, new NDIndex("{}", lloyd.create(index)));
      for (int iteration = 0; iteration < GaussianMixture.LLOYD_ITERATIONS; iteration++) {
        SufficientStatistics stats;
        try (LogDensityTerms terms = LogDensityTerms.nearestCentre(centres, lloyd)) {
          stats = SufficientStatistics.centreSums(sub, m, terms, chunk, lloyd);
        }
        double moved = 0;
        for (int k = 0; k < components; k++) {
          if (stats.counts()[k] < MStep.EMPTY_COMPONENT) {
            continue;
          }
          for (int j = 0; j < d; j++) {
            double c = stats.sums()[k * d + j] / stats.counts()[k];
            moved = Math.max(moved, Math.abs(c - centres[k][j]));
            centres[k][j] = c;
          }
        }
        if (moved == 0) {
          break;
        }
      }
    }
    return centres;
  }

  /**
   * k-means++ seeding: the first centre uniformly, each next one with probability proportional to the
   * squared distance to the nearest centre so far (uniformly when every point already coincides with a
   * centre). Point {@code i} is item {@code rows[i]} of {@code values}, shifted: {@code values[rows[i]·D +
   * j] − shift[j]}, computed in double as it is read.
   *
   * @param values the items, row-major {@code N × D}
   * @param rows the {@code M} items that are the points
   * @return {@code (k × D)}, the chosen points
   */
  static double[][] kMeansPlusPlus(
      float[] values, int d, int[] rows, double[] shift, int k, SplittableRandom random) {
    int m = rows.length;
    double[][] centres = new double[k][];
    centres[0] = point(values, d, rows[random.nextInt(m)], shift);
    double[] nearest = new double[m];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double[] last = centres[c - 1];
      double total = 0;
      for (int i = 0; i < m; i++) {
        double s = 0;
        int base = rows[i] * d;
        for (int j = 0; j < d; j++) {
          double diff = (values[base + j] - shift[j]) - last[j];
          s += diff * diff;
        }
        if (s < nearest[i]) {
          nearest[i] = s;
        }
        total += nearest[i];
      }
      int pick;
      if (!(total > 0)) {
        pick = random.nextInt(m);
      } else {
        double u = random.nextDouble() * total;
        pick = m - 1;
        double acc = 0;
        for (int i = 0; i < m; i++) {
          acc += nearest[i];
          if (acc > u && nearest[i] > 0) {
            pick = i;
            break;
          }
        }
      }
      centres[c] = point(values, d, rows[pick], shift);
    }
    return centres;
  }

  /** @return item {@code row} shifted, {@code values[row·D + j] − shift[j]}, a new array. */
  private static double[] point(float[] values, int d, int row, double[] shift) {
    double[] p = new double[d];
    int base = row * d;
    for (int j = 0; j < d; j++) {
      p[j] = values[base + j] - shift[j];
    }
    return p;
  }
}
