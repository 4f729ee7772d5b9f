package io.vi4j.plugins.mixtures;

import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DefaultRealMatrixChangingVisitor;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Host linear algebra of full covariance matrices: the Cholesky factorization {@code Σ = L Lᵀ} with its
 * inverse factor and log-determinant (for the densities and the sampler), and the eigenvalue floor of the
 * M-step. commons-math3 does the factorizations (Cholesky, eigen, SVD) and the matrix arithmetic; the
 * triangular inverse and the log-determinant stay short loops, for the reasons given at each. Every
 * matrix is a symmetric (or, for factors, lower-triangular) {@code D × D} row-major {@code double[][]};
 * no method modifies its arguments.
 *
 * <p>The eigenvalue floor {@code V max(Λ, floor) Vᵀ} is the nearest matrix to a symmetric {@code S} in
 * the Frobenius norm among those with every eigenvalue at least {@code floor} (Higham 1988, "Computing a
 * nearest symmetric positive semidefinite matrix", Linear Algebra Appl. 103), and also the maximizer of
 * the M-step's expected complete-data log-likelihood over {@code Σ ⪰ floor·I}. Cholesky factorization and
 * triangular solves: Golub &amp; Van Loan, "Matrix Computations", sections 4.2 and 3.1.
 */
final class Covariances {

  /** How often the diagonal jitter of {@link #cholesky} grows tenfold before a fit gives up. */
  static final int JITTER_ATTEMPTS = 30;

  private Covariances() {}

  /**
   * The factorization of one covariance {@code Σ (D × D)}.
   *
   * @param lower {@code L (D × D)}, lower triangular with a positive diagonal, {@code Σ = L Lᵀ}
   * @param inverseLower {@code L⁻¹ (D × D)}, lower triangular
   * @param halfLogDet {@code ½ log|Σ| = Σ_j log L_jj}
   */
  record Factor(double[][] lower, double[][] inverseLower, double halfLogDet) {

    /** Factors {@code sigma}; {@code floor} sizes the jitter of {@link #cholesky} if one is needed. */
    static Factor of(double[][] sigma, double floor) {
      double[][] l = cholesky(sigma, floor);
      // Σ_j log L_jj rather than log of commons-math3's determinant, which over- or underflows for
      // large D (784 pixels).
      double h = 0;
      for (int j = 0; j < l.length; j++) {
        h += Math.log(l[j][j]);
      }
      return new Factor(l, invertLower(l), h);
    }
  }

  /**
   * The Cholesky factor of a symmetric positive definite matrix (commons-math3's {@link
   * CholeskyDecomposition}, symmetry checked to its default relative threshold, positivity to 0); if
   * rounding makes it fail, the diagonal is raised by {@code max(floor, 1e-10)}, then by ten times as much
   * at each further failure, at most {@value #JITTER_ATTEMPTS} times.
   *
   * @param sigma {@code Σ (D × D)}
   * @return {@code L (D × D)}, lower triangular
   * @throws IllegalStateException when even the largest jitter leaves {@code Σ} indefinite
   */
  static double[][] cholesky(double[][] sigma, double floor) {
    RealMatrix matrix = new Array2DRowRealMatrix(sigma, false);
    double jitter = 0;
    double step = Math.max(floor, 1e-10);
    for (int attempt = 0; ; attempt++) {
      try {
        RealMatrix jittered = jitter == 0 ? matrix : matrix.add(scaledIdentity(sigma.length, jitter));
        return factor(jittered).getL().getData();
      } catch (NonPositiveDefiniteMatrixException e) {
        if (attempt >= JITTER_ATTEMPTS) {
          throw new IllegalStateException("a gmm covariance is not positive definite even with jitter", e);
        }
        jitter = jitter == 0 ? step : jitter * 10;
      }
    }
  }

  /**
   * {@code L⁻¹} of a lower-triangular {@code L (D × D)} with a positive diagonal, by forward substitution
   * column by column; the result is lower triangular, its upper part exactly zero.
   *
   * <p>This one is not left to commons-math3: it has no triangular inverse, and its triangular solve
   * ({@link MatrixUtils#solveLowerTriangularSystem}, one column of the identity at a time) gives the same
   * figures, bit for bit, but walks each column's leading zeros and reads {@code L} through {@code
   * getEntry}, which made it about four times slower at {@code D = 784} (1.2 s against 0.3 s a
   * component, every M-step).
   */
  static double[][] invertLower(double[][] l) {
    int d = l.length;
    double[][] inv = new double[d][d];
    for (int col = 0; col < d; col++) {
      inv[col][col] = 1.0 / l[col][col];
      for (int i = col + 1; i < d; i++) {
        double s = 0;
        double[] li = l[i];
        for (int j = col; j < i; j++) {
          s += li[j] * inv[j][col];
        }
        inv[i][col] = -s / li[i];
      }
    }
    return inv;
  }

  /**
   * The nearest matrix to a symmetric {@code s (D × D)} with every eigenvalue at least {@code floor}:
   * {@code V max(Λ, floor) Vᵀ}. When a Cholesky factorization of {@code s − floor·I} succeeds, {@code s}
   * already qualifies and is returned as it is, without an eigendecomposition.
   *
   * @return {@code s} itself, or a new exactly symmetric {@code D × D} matrix
   */
  static double[][] floorEigenvalues(double[][] s, double floor) {
    RealMatrix matrix = new Array2DRowRealMatrix(s, false);
    try {
      factor(matrix.subtract(scaledIdentity(s.length, floor)));
      return s;
    } catch (NonPositiveDefiniteMatrixException e) {
      // some eigenvalue is below the floor: clip the spectrum
    }
    return Spectrum.of(matrix).floored(floor);
  }

  /**
   * The eigendecomposition {@code S = V diag(values) Vᵀ} of a symmetric matrix.
   *
   * @param values the {@code D} eigenvalues, in no particular order
   * @param vectors {@code V (D × D)}, the matching unit eigenvectors as columns
   */
  record Spectrum(double[] values, RealMatrix vectors) {

    /**
     * commons-math3's {@link EigenDecomposition}, or, when its QL iteration does not converge (as it can
     * on the many (near-)zero eigenvalues of a component with constant pixels), {@link #bySvd}.
     */
    static Spectrum of(RealMatrix symmetric) {
      try {
        EigenDecomposition eigen = new EigenDecomposition(symmetric);
        return new Spectrum(eigen.getRealEigenvalues(), eigen.getV());
      } catch (MathIllegalStateException notConverged) {
        return bySvd(symmetric);
      }
    }

    /**
     * The spectrum from the singular value decomposition {@code S = U Σ Vᵀ} of the symmetric {@code S}:
     * the same up to signs, {@code u_i = ±v_i} with the sign of the eigenvalue, so {@code λ_i = ±σ_i}
     * with the sign of {@code u_i · v_i}.
     */
    static Spectrum bySvd(RealMatrix symmetric) {
      SingularValueDecomposition svd = new SingularValueDecomposition(symmetric);
      double[] sigma = svd.getSingularValues();
      RealMatrix u = svd.getU();
      RealMatrix v = svd.getV();
      double[] lambda = new double[sigma.length];
      for (int e = 0; e < sigma.length; e++) {
        double dot = u.getColumnVector(e).dotProduct(v.getColumnVector(e));
        lambda[e] = dot < 0 ? -sigma[e] : sigma[e];
      }
      return new Spectrum(lambda, v);
    }

    /**
     * @return {@code V max(Λ, floor) Vᵀ (D × D)}, exactly symmetric (the product's lower triangle,
     *     mirrored)
     */
    double[][] floored(double floor) {
      RealMatrix scaled = vectors.copy();
      scaled.walkInOptimizedOrder(
          new DefaultRealMatrixChangingVisitor() {
            @Override
            public double visit(int row, int column, double value) {
              return value * Math.max(values[column], floor);
            }
          });
      double[][] out = scaled.multiply(vectors.transpose()).getData();
      for (int i = 0; i < out.length; i++) {
        for (int j = 0; j < i; j++) {
          out[j][i] = out[i][j];
        }
      }
      return out;
    }
  }

  /** @return a deep copy of a row-major matrix. */
  static double[][] copy(double[][] a) {
    double[][] b = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i].clone();
    }
    return b;
  }

  /** @throws NonPositiveDefiniteMatrixException when {@code matrix} is not positive definite */
  private static CholeskyDecomposition factor(RealMatrix matrix) {
    return new CholeskyDecomposition(matrix, CholeskyDecomposition.DEFAULT_RELATIVE_SYMMETRY_THRESHOLD, 0);
  }

  /** @return {@code c·I (d × d)}. */
  private static RealMatrix scaledIdentity(int d, double c) {
    return MatrixUtils.createRealIdentityMatrix(d).scalarMultiply(c);
  }
}
