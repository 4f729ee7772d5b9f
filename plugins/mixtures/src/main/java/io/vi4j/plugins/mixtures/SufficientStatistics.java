package io.vi4j.plugins.mixtures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.kit.math.NdMath;

/**
 * The sufficient statistics of one pass over the data, summed on the device and copied to the host: the
 * E-step of EM (Dempster, Laird &amp; Rubin 1977, "Maximum likelihood from incomplete data via the EM
 * algorithm", JRSS B 39(1)) with soft responsibilities {@code r_ik = p(k | x_i)}, or a Lloyd step
 * ({@link KMeansInitializer}) with hard nearest-centre assignments {@code r_ik ∈ {0, 1}}.
 *
 * <p>A pass works in chunks of {@code chunk} rows, each in its own sub-manager: the chunk's scores
 * {@code (B, K)} ({@link LogDensityTerms}), for soft passes their log-sum-exp {@code (B)} and {@code r =
 * exp(scores − lse) (B, K)}, then {@code rᵀ·1}, {@code rᵀ x} and {@code rᵀ x²} or the {@code (K, B, D)}
 * weighted items times {@code x}, added in place to running sums.
 *
 * <p>A diagonal fit passes over its items in the feature layout {@code f = [x | x²] (N, 2D)} ({@link
 * LogDensityTerms#features}, built once per fit) instead ({@link #diagonalExpectation}, {@link
 * #diagonalAssignment}): per chunk one product {@code f · (2D, K)} for the scores and one {@code rᵀ f (K,
 * 2D)} for both sums, where the plain pass squares the chunk and makes four products. The figures are the
 * same up to the order of rounding.
 *
 * @param counts {@code N_k = Σ_i r_ik}, shape {@code (K)}
 * @param sums {@code Σ_i r_ik x_i}, shape {@code (K, D)} row-major
 * @param squares {@code Σ_i r_ik x_i²} {@code (K, D)} (diagonal) or {@code Σ_i r_ik x_i x_iᵀ} {@code (K, D,
 *     D)} (full), row-major; null when the pass did not ask for second moments
 * @param logLikelihood {@code Σ_i log p(x_i)} (soft passes), NaN for hard ones
 */
record SufficientStatistics(double[] counts, double[] sums, double[] squares, double logLikelihood) {

  /**
   * The E-step under {@code params}: soft responsibilities, second moments in {@code params}' covariance
   * form, and the log-likelihood.
   *
   * @param data shifted items {@code (rows, D)} float64
   */
  static SufficientStatistics expectation(
      NDArray data, int rows, MixtureParameters params, int chunk, NDManager scope) {
    return pass(data, rows, null, params, params.components(), params.full(), true, chunk, scope);
  }

  /**
   * Hard nearest-centre assignments under {@code centres} ({@link LogDensityTerms#nearestCentre}), with
   * second moments in the given form: the first M-step of a run.
   *
   * @param data shifted items {@code (rows, D)} float64
   */
  static SufficientStatistics assignment(
      NDArray data, int rows, LogDensityTerms centres, boolean full, int chunk, NDManager scope) {
    return pass(data, rows, centres, null, centres.components(), full, true, chunk, scope);
  }

  /**
   * Hard nearest-centre assignments under {@code centres}, counts and sums only: a Lloyd step.
   *
   * @param data shifted items {@code (rows, D)} float64
   */
  static SufficientStatistics centreSums(
      NDArray data, int rows, LogDensityTerms centres, int chunk, NDManager scope) {
    return pass(data, rows, centres, null, centres.components(), false, false, chunk, scope);
  }

  /**
   * The E-step of a diagonal mixture under {@code params}, over items in the feature layout: the same
   * figures as {@link #expectation} of the plain items.
   *
   * @param features {@code [x | x²] (rows, 2D)} float64 ({@link LogDensityTerms#features})
   * @param params diagonal parameters
   */
  static SufficientStatistics diagonalExpectation(
      NDArray features, int rows, MixtureParameters params, int chunk, NDManager scope) {
    if (params.full()) {
      throw new IllegalArgumentException("the feature layout serves diagonal mixtures only");
    }
    return featurePass(features, rows, null, params, params.components(), chunk, scope);
  }

  /**
   * Hard nearest-centre assignments under {@code centres}, with diagonal second moments, over items in
   * the feature layout: the same figures as {@link #assignment} of the plain items with {@code full =
   * false}.
   *
   * @param features {@code [x | x²] (rows, 2D)} float64 ({@link LogDensityTerms#features})
   */
  static SufficientStatistics diagonalAssignment(
      NDArray features, int rows, LogDensityTerms centres, int chunk, NDManager scope) {
    return featurePass(features, rows, centres, null, centres.components(), chunk, scope);
  }

  private static SufficientStatistics featurePass(
      NDArray features,
      int rows,
      LogDensityTerms hardTerms,
      MixtureParameters params,
      int k,
      int chunk,
      NDManager scope) {
    boolean soft = params != null;
    int d = (int) features.getShape().get(1) / 2;
    try (NDManager iteration = scope.newSubManager()) {
      LogDensityTerms terms = soft ? LogDensityTerms.of(params, iteration) : hardTerms;
      NDArray counts = iteration.zeros(new Shape(k), DataType.FLOAT64);
      NDArray moments = iteration.zeros(new Shape(k, 2L * d), DataType.FLOAT64);
      NDArray logLik = iteration.zeros(new Shape(1), DataType.FLOAT64);
      for (int start = 0; start < rows; start += chunk) {
        int end = Math.min(rows, start + chunk);
        try (NDManager step = iteration.newSubManager()) {
          NDArray f = features.get(step, new NDIndex(start + ":" + end));
          NDArray r;
          if (soft) {
            NDArray scores = terms.logJointOfFeatures(f);
            NDArray lse = NdMath.logSumExp(scores, 1);
            logLik.addi(lse.sum());
            r = scores.sub(lse.expandDims(1)).exp();
          } else {
            NDArray x = f.get(new NDIndex(":, 0:" + d));
            r = terms.logJoint(x).argMax(1).oneHot(k, DataType.FLOAT64);
          }
          counts.addi(r.sum(new int[] {0}));
          moments.addi(r.transpose().matMul(f));
        }
      }
      double[] both = moments.toDoubleArray();
      double[] sums = new double[k * d];
      double[] squares = new double[k * d];
      for (int c = 0; c < k; c++) {
        System.arraycopy(both, c * 2 * d, sums, c * d, d);
        System.arraycopy(both, c * 2 * d + d, squares, c * d, d);
      }
      return new SufficientStatistics(
          counts.toDoubleArray(), sums, squares, soft ? logLik.getDouble(0) : Double.NaN);
    }
  }

  private static SufficientStatistics pass(
      NDArray data,
      int rows,
      LogDensityTerms hardTerms,
      MixtureParameters params,
      int k,
      boolean full,
      boolean secondMoments,
      int chunk,
      NDManager scope) {
    boolean soft = params != null;
    int d = (int) data.getShape().get(1);
    try (NDManager iteration = scope.newSubManager()) {
      LogDensityTerms terms = soft ? LogDensityTerms.of(params, iteration) : hardTerms;
      NDArray counts = iteration.zeros(new Shape(k), DataType.FLOAT64);
      NDArray sums = iteration.zeros(new Shape(k, d), DataType.FLOAT64);
      NDArray squares =
          secondMoments
              ? iteration.zeros(full ? new Shape(k, d, d) : new Shape(k, d), DataType.FLOAT64)
              : null;
      NDArray logLik = iteration.zeros(new Shape(1), DataType.FLOAT64);
      for (int start = 0; start < rows; start += chunk) {
        int end = Math.min(rows, start + chunk);
        try (NDManager step = iteration.newSubManager()) {
          NDArray x = data.get(step, new NDIndex(start + ":" + end));
          NDArray squared = !full && (secondMoments || soft) ? x.square() : null;
          NDArray scores = terms.logJoint(x, squared);
          NDArray r;
          if (soft) {
            NDArray lse = NdMath.logSumExp(scores, 1);
            logLik.addi(lse.sum());
            r = scores.sub(lse.expandDims(1)).exp();
          } else {
            r = scores.argMax(1).oneHot(k, DataType.FLOAT64);
          }
          counts.addi(r.sum(new int[] {0}));
          NDArray rt = r.transpose();
          sums.addi(rt.matMul(x));
          if (secondMoments) {
            if (full) {
              // (K, B, D) weighted items, then (K, D, B) · (B, D) → (K, D, D)
              NDArray weighted = rt.expandDims(2).mul(x.expandDims(0));
              squares.addi(weighted.transpose(0, 2, 1).matMul(x));
            } else {
              squares.addi(rt.matMul(squared));
            }
          }
        }
      }
      return new SufficientStatistics(
          counts.toDoubleArray(),
          sums.toDoubleArray(),
          secondMoments ? squares.toDoubleArray() : null,
          soft ? logLik.getDouble(0) : Double.NaN);
    }
  }
}
