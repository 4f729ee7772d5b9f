package io.vi4j.plugins.mixtures;

import java.util.Arrays;

/**
 * The host parameters of a mixture of {@code K} Gaussians in {@code D} dimensions, in the shifted
 * coordinates {@code x − shift} that a fit works in (the shift, the training mean, only conditions the
 * second moments; the model is the same).
 *
 * <p>Shapes: {@code weights (K)}, summing to 1; {@code means (K × D)}; diagonal mixtures {@code variances
 * (K × D)} and {@code covariances == null}; full mixtures {@code covariances (K × D × D)}, {@code variances
 * == null} and one {@link Covariances.Factor} per component ({@code L_k}, {@code L_k⁻¹}, {@code ½
 * log|Σ_k|}), computed on construction; {@code shift (D)}. The arrays are shared, not copied: treat them as
 * read-only.
 */
final class MixtureParameters {
  final double[] weights;
  final double[][] means;
  final double[][] variances;
  final double[][][] covariances;
  final double[] shift;
  final Covariances.Factor[] factors;

  /**
   * @param variances {@code (K × D)} for a diagonal mixture, else {@code null}
   * @param covariances {@code (K × D × D)} for a full mixture, else {@code null}
   * @param floor sizes the jitter of a Cholesky factorization that rounding makes fail
   */
  MixtureParameters(
      double[] weights,
      double[][] means,
      double[][] variances,
      double[][][] covariances,
      double[] shift,
      double floor) {
    this.weights = weights;
    this.means = means;
    this.variances = variances;
    this.covariances = covariances;
    this.shift = shift;
    if (covariances == null) {
      factors = null;
    } else {
      factors = new Covariances.Factor[covariances.length];
      for (int c = 0; c < covariances.length; c++) {
        factors[c] = Covariances.Factor.of(covariances[c], floor);
      }
    }
  }

  /**
   * The parameters a run starts from before its first M-step: the given centres, the per-dimension
   * variances {@code variance (D)} for every component (as a diagonal matrix when {@code full}), uniform
   * weights.
   *
   * @param centres {@code (K × D)}, shifted coordinates; copied
   */
  static MixtureParameters spherical(double[][] centres, double[] variance, double[] shift, boolean full) {
    int k = centres.length;
    int d = variance.length;
    double[] weights = new double[k];
    Arrays.fill(weights, 1.0 / k);
    if (full) {
      double[][][] cov = new double[k][d][d];
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          cov[c][j][j] = variance[j];
        }
      }
      return new MixtureParameters(weights, Covariances.copy(centres), null, cov, shift, 1e-300);
    }
    double[][] var = new double[k][];
    for (int c = 0; c < k; c++) {
      var[c] = variance.clone();
    }
    return new MixtureParameters(weights, Covariances.copy(centres), var, null, shift, 1e-300);
  }

  /** @return {@code K}. */
  int components() {
    return weights.length;
  }

  /** @return {@code D}. */
  int dimension() {
    return shift.length;
  }

  /** @return whether the covariances are full matrices. */
  boolean full() {
    return covariances != null;
  }

  /** @return the means in data coordinates, {@code μ_k + shift (K × D)}, a new array. */
  double[][] dataMeans() {
    double[][] out = new double[components()][dimension()];
    for (int c = 0; c < out.length; c++) {
      for (int j = 0; j < out[c].length; j++) {
        out[c][j] = means[c][j] + shift[j];
      }
    }
    return out;
  }

  /** @return the covariance diagonals {@code (K × D)}, a new array. */
  double[][] diagonals() {
    double[][] out = new double[components()][dimension()];
    for (int c = 0; c < out.length; c++) {
      for (int j = 0; j < out[c].length; j++) {
        out[c][j] = full() ? covariances[c][j][j] : variances[c][j];
      }
    }
    return out;
  }

  /** @return the covariance matrices {@code (K × D × D)}, diagonal ones expanded, a new array. */
  double[][][] covarianceMatrices() {
    double[][][] out = new double[components()][][];
    for (int c = 0; c < out.length; c++) {
      if (full()) {
        out[c] = Covariances.copy(covariances[c]);
      } else {
        out[c] = new double[dimension()][dimension()];
        for (int j = 0; j < dimension(); j++) {
          out[c][j][j] = variances[c][j];
        }
      }
    }
    return out;
  }
}
