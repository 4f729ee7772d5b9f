package io.vi4j.plugins.mixtures;

/**
 * The M-step of EM for a Gaussian mixture (Dempster, Laird &amp; Rubin 1977, "Maximum likelihood from
 * incomplete data via the EM algorithm", JRSS B 39(1)), on the host, from one pass's {@link
 * SufficientStatistics}: {@code w_k = N_k / N}, {@code μ_k = Σ r x / N_k}, and {@code σ²_k = max(Σ r x² /
 * N_k − μ_k², floor)} (diagonal) or {@code Σ_k = } {@link Covariances#floorEigenvalues} of {@code S_k = Σ r
 * x xᵀ / N_k − μ_k μ_kᵀ} (full, symmetrized). A floor as a lower bound, rather than an added constant,
 * keeps each M-step the exact maximizer over the constrained set {@code Σ ⪰ floor·I}, so that EM never
 * lowers the training log-likelihood. A component with {@code N_k <} {@value #EMPTY_COMPONENT} keeps its
 * previous mean and covariance and gets weight {@code N_k / N}.
 */
final class MStep {

  /** Responsibility mass below which a component counts as empty. */
  static final double EMPTY_COMPONENT = 1e-12;

  private MStep() {}

  /**
   * @param stats the pass's sums, with second moments in {@code previous}' covariance form
   * @param previous the parameters the empty components keep; their shift and form are kept
   * @param n the number of items the sums are over
   * @param floor the least variance or covariance eigenvalue
   * @return the new parameters, with their Cholesky factors when full
   */
  static MixtureParameters maximize(
      SufficientStatistics stats, MixtureParameters previous, int n, double floor) {
    int k = previous.components();
    int d = previous.dimension();
    boolean full = previous.full();
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] variances = full ? null : new double[k][];
    double[][][] covariances = full ? new double[k][][] : null;
    for (int c = 0; c < k; c++) {
      double nk = stats.counts()[c];
      weights[c] = Math.max(0, nk) / n;
      if (nk < EMPTY_COMPONENT) {
        means[c] = previous.means[c].clone();
        if (full) {
          covariances[c] = Covariances.copy(previous.covariances[c]);
        } else {
          variances[c] = previous.variances[c].clone();
        }
        continue;
      }
      double[] mean = new double[d];
      for (int j = 0; j < d; j++) {
        mean[j] = stats.sums()[c * d + j] / nk;
      }
      means[c] = mean;
      if (full) {
        covariances[c] = Covariances.floorEigenvalues(scatter(stats.squares(), c, mean, nk), floor);
      } else {
        double[] var = new double[d];
        for (int j = 0; j < d; j++) {
          var[j] = Math.max(stats.squares()[c * d + j] / nk - mean[j] * mean[j], floor);
        }
        variances[c] = var;
      }
    }
    return new MixtureParameters(weights, means, variances, covariances, previous.shift, floor);
  }

  /**
   * {@code S_k = Σ r x xᵀ / N_k − μ_k μ_kᵀ (D × D)} from the {@code (K, D, D)} sums, exactly symmetric
   * (the two triangles of the device sum are averaged).
   */
  private static double[][] scatter(double[] squares, int c, double[] mean, double nk) {
    int d = mean.length;
    double[][] cov = new double[d][d];
    int base = c * d * d;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0.5 * (squares[base + i * d + j] + squares[base + j * d + i]) / nk - mean[i] * mean[j];
        cov[i][j] = s;
        cov[j][i] = s;
      }
    }
    return cov;
  }
}
