package io.vi4j.plugins.mixtures;

/**
 * Imputation by the exact conditional mean under a diagonal-covariance mixture (Ghahramani &amp; Jordan
 * 1994, "Supervised learning from incomplete data via an EM approach", NIPS 6): {@code E[x_m | x_o] = Σ_k
 * r_k(x_o) μ_km}, with responsibilities {@code r_k ∝ w_k Π_{j∈o} N(x_j; μ_kj, σ²_kj)} from the observed
 * coordinates only (within a component the coordinates are independent). On the host.
 */
final class DiagonalConditionalMean {

  private DiagonalConditionalMean() {}

  /**
   * @param w the weights {@code (K)}
   * @param mu the means {@code (K × D)}, data coordinates
   * @param var the variances {@code (K × D)}
   * @param observed row-major {@code items × D}; values at missing positions are ignored
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @return a copy of {@code observed} with every missing value replaced
   */
  static float[] impute(
      double[] w, double[][] mu, double[][] var, float[] observed, boolean[] missing, int items) {
    int k = w.length;
    int d = mu[0].length;
    if (observed.length != items * d || missing.length != items * d) {
      throw new IllegalArgumentException("expected " + items + " × " + d + " values and mask entries, got "
          + observed.length + " and " + missing.length);
    }
    float[] out = observed.clone();
    double[] logR = new double[k];
    for (int i = 0; i < items; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double lr = w[c] > 0 ? Math.log(w[c]) : Double.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
          if (!missing[i * d + j]) {
            double e = observed[i * d + j] - mu[c][j];
            lr -= 0.5 * (Math.log(2 * Math.PI * var[c][j]) + e * e / var[c][j]);
          }
        }
        logR[c] = lr;
        max = Math.max(max, lr);
      }
      double total = 0;
      for (int c = 0; c < k; c++) {
        logR[c] = Math.exp(logR[c] - max);
        total += logR[c];
      }
      for (int j = 0; j < d; j++) {
        if (missing[i * d + j]) {
          double value = 0;
          for (int c = 0; c < k; c++) {
            value += logR[c] / total * mu[c][j];
          }
          out[i * d + j] = (float) value;
        }
      }
    }
    return out;
  }
}
