package io.vi4j.plugins.linear;

import io.vi4j.api.kit.math.NdMath;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import java.util.stream.IntStream;

/**
 * PPCA on rows with missing coordinates (NaN), on the host in float64: the marginal {@code log p(x_o)},
 * the latent posterior given the observed coordinates, and maximum likelihood by EM with missing values
 * (Tipping &amp; Bishop 1999, appendix; Ilin &amp; Raiko 2010, "Practical approaches to principal component
 * analysis in the presence of missing values", JMLR 11, section 3.2).
 *
 * <p>Model: {@code t ~ N(0, I_q)}, {@code x_i = w_iᵀ t + μ_i + ε_i}, {@code ε_i ~ N(0, σ²)}. For a row with
 * observed coordinates {@code o}: {@code M_o = W_oᵀ W_o + σ² I}, {@code p(t | x_o) = N(t̄, σ² M_o⁻¹)} with
 * {@code t̄ = M_o⁻¹ W_oᵀ (x_o − μ_o)}, and {@code log p(x_o) = −½ (|o| log 2π + (|o| − q) log σ² + log|M_o| +
 * (‖x_o − μ_o‖² − (x_o − μ_o)ᵀ W_o t̄)/σ²)} (matrix determinant lemma and Woodbury on {@code C_oo = W_o W_oᵀ
 * + σ² I}).
 *
 * <p>EM, with the complete data {@code (x_o, t)} of each row (the missing coordinates integrated out): the
 * E-step gives {@code t̄_n} and {@code E[t̃_n t̃_nᵀ]} for {@code t̃ = [t; 1]}; the M-step solves, for each
 * column {@code i}, {@code (Σ_{n: i∈o_n} E[t̃_n t̃_nᵀ]) [w_i; μ_i] = Σ_{n: i∈o_n} x_ni [t̄_n; 1]} (the row
 * of {@code W} and the mean jointly, so the step is the exact maximizer), then {@code σ² = max(floor, (1/|O|)
 * Σ_i (Σ_n x_ni² − [w_i; μ_i]ᵀ Σ_n x_ni [t̄_n; 1]))}, {@code |O|} the number of observed cells. Each
 * iteration's E-step also gives the observed-data log-likelihood of the current parameters, which EM never
 * lowers. Rows are visited grouped by their missing pattern so that each {@code M_o} is factored once.
 */
final class IncompletePpca {
  private final double[] x;
  private final int n;
  private final int d;
  private final int[] order;

  /** @param values row-major {@code n × D}, NaN where missing; not copied */
  IncompletePpca(double[] values, int n, int d) {
    this.x = values;
    this.n = n;
    this.d = d;
    order = io.vi4j.api.data.IncompleteData.byMissingPattern(values, n, d);
  }

  /** The parameters: {@code μ (D)}, {@code W (D × q)}, σ². */
  record Parameters(double[] mean, double[][] weight, double sigma2) {}

  /** What one E-step pass gives. */
  static final class Pass {
    /** {@code Σ_n log p(x_n,o)}. */
    double logLikelihood;
    /** Per column {@code Σ E[t̃ t̃ᵀ] ((q+1) × (q+1))} over the rows that observe it. */
    double[][][] outer;
    /** Per column {@code Σ x_ni [t̄_n; 1] (q+1)}. */
    double[][] cross;
    /** Per column {@code Σ x_ni²}. */
    double[] squares;
    /** The number of observed cells. */
    long observedCells;
  }

  /** Per row: the observed-pattern factorization and the posterior. */
  private interface RowVisitor {
    void visit(int row, int[] obs, double[] tbar, double[][] tCov, double logDensity);
  }

  private void visit(Parameters p, RowVisitor visitor) {
    int q = p.weight()[0].length;
    double sigma2 = p.sigma2();
    double[][] w = p.weight();
    double[] mu = p.mean();
    int[] obs = null;
    SymmetricSolver lower = null;
    double[][] tCov = null;
    double logDetM = 0;
    for (int at = 0; at < n; at++) {
      int row = order[at];
      if (obs == null || !samePattern(order[at - 1], row)) {
        obs = IntStream.range(0, d).filter(j -> !Double.isNaN(x[row * d + j])).toArray();
        double[][] m = new double[q][q];
        for (int j : obs) {
          for (int a = 0; a < q; a++) {
            for (int b = 0; b <= a; b++) {
              m[a][b] += w[j][a] * w[j][b];
            }
          }
        }
        for (int a = 0; a < q; a++) {
          m[a][a] += sigma2;
          for (int b = 0; b < a; b++) {
            m[b][a] = m[a][b];
          }
        }
        lower = new SymmetricSolver(m);
        logDetM = lower.logDeterminant();
        tCov = new double[q][];
        for (int a = 0; a < q; a++) {
          double[] unit = new double[q];
          unit[a] = sigma2;
          tCov[a] = lower.solve(unit); // σ² M⁻¹, column a
        }
      }
      double[] u = new double[q];
      double norm = 0;
      for (int j : obs) {
        double e = x[row * d + j] - mu[j];
        norm += e * e;
        for (int a = 0; a < q; a++) {
          u[a] += w[j][a] * e;
        }
      }
      double[] tbar = lower.solve(u);
      double explained = 0;
      for (int a = 0; a < q; a++) {
        explained += u[a] * tbar[a];
      }
      int no = obs.length;
      double ll = no == 0
          ? 0
          : -0.5 * (no * NdMath.LOG_2PI + (no - q) * Math.log(sigma2) + logDetM + (norm - explained) / sigma2);
      visitor.visit(row, obs, tbar, tCov, ll);
    }
  }

  private boolean samePattern(int a, int b) {
    for (int j = 0; j < d; j++) {
      if (Double.isNaN(x[a * d + j]) != Double.isNaN(x[b * d + j])) {
        return false;
      }
    }
    return true;
  }

  /** @return per row {@code log p(x_o)}, nats (0 for a row with nothing observed) */
  double[] logDensities(Parameters p) {
    double[] out = new double[n];
    visit(p, (row, obs, tbar, tCov, ll) -> out[row] = ll);
    return out;
  }

  /** @return per row {@code E[t | x_o] (n × q)} */
  double[][] posteriorMeans(Parameters p) {
    double[][] out = new double[n][];
    visit(p, (row, obs, tbar, tCov, ll) -> out[row] = tbar);
    return out;
  }

  /** The E-step under {@code p}. */
  Pass expectation(Parameters p) {
    int q = p.weight()[0].length;
    Pass pass = new Pass();
    pass.outer = new double[d][q + 1][q + 1];
    pass.cross = new double[d][q + 1];
    pass.squares = new double[d];
    double[][] e = new double[q + 1][q + 1];
    visit(p, (row, obs, tbar, tCov, ll) -> {
      pass.logLikelihood += ll;
      pass.observedCells += obs.length;
      for (int a = 0; a < q; a++) {
        for (int b = 0; b < q; b++) {
          e[a][b] = tCov[a][b] + tbar[a] * tbar[b];
        }
        e[a][q] = tbar[a];
        e[q][a] = tbar[a];
      }
      e[q][q] = 1;
      for (int j : obs) {
        double v = x[row * d + j];
        double[][] outer = pass.outer[j];
        for (int a = 0; a <= q; a++) {
          double[] oa = outer[a];
          double[] ea = e[a];
          for (int b = 0; b <= q; b++) {
            oa[b] += ea[b];
          }
        }
        double[] cross = pass.cross[j];
        for (int a = 0; a < q; a++) {
          cross[a] += v * tbar[a];
        }
        cross[q] += v;
        pass.squares[j] += v * v;
      }
    });
    return pass;
  }

  /** The M-step from one pass's sums: each column's {@code [w_i; μ_i]} jointly, then σ². */
  static Parameters maximize(Pass pass, int d, int q, double floor) {
    double[][] w = new double[d][q];
    double[] mu = new double[d];
    double residual = 0;
    for (int j = 0; j < d; j++) {
      double[] coef = new SymmetricSolver(pass.outer[j]).solve(pass.cross[j]);
      System.arraycopy(coef, 0, w[j], 0, q);
      mu[j] = coef[q];
      double fit = 0;
      for (int a = 0; a <= q; a++) {
        fit += coef[a] * pass.cross[j][a];
      }
      residual += pass.squares[j] - fit;
    }
    return new Parameters(mu, w, Math.max(floor, residual / pass.observedCells));
  }

  /**
   * The expected sample covariance under {@code p}, {@code (1/N) Σ_n E[(x_n − μ)(x_n − μ)ᵀ | x_n,o]}: the
   * missing coordinates at {@code μ_m + W_m t̄} with {@code W_m σ² M_o⁻¹ W_mᵀ + σ² I} added to their block.
   */
  double[][] expectedCovariance(Parameters p) {
    int q = p.weight()[0].length;
    double[][] w = p.weight();
    double[] mu = p.mean();
    double[][] s = new double[d][d];
    double[] c = new double[d];
    visit(p, (row, obs, tbar, tCov, ll) -> {
      boolean[] seen = new boolean[d];
      for (int j : obs) {
        seen[j] = true;
      }
      for (int j = 0; j < d; j++) {
        if (seen[j]) {
          c[j] = x[row * d + j] - mu[j];
        } else {
          double v = 0;
          for (int a = 0; a < q; a++) {
            v += w[j][a] * tbar[a];
          }
          c[j] = v;
        }
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          s[i][j] += c[i] * c[j];
        }
      }
      for (int i = 0; i < d; i++) {
        if (seen[i]) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          if (seen[j]) {
            continue;
          }
          double v = i == j ? p.sigma2() : 0;
          for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
              v += w[i][a] * tCov[a][b] * w[j][b];
            }
          }
          s[i][j] += v;
        }
      }
    });
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        s[i][j] /= n;
      }
    }
    return HostMatrices.symmetrize(s);
  }

  /**
   * A symmetric positive definite matrix factored once by commons-math3's Cholesky decomposition, for its
   * solves and its log-determinant.
   */
  static final class SymmetricSolver {
    private final CholeskyDecomposition factor;

    /**
     * @param a its lower triangle (diagonal included) is read; the upper may be unfilled
     * @throws IllegalStateException when the matrix is not positive definite (degenerate data)
     */
    SymmetricSolver(double[][] a) {
      int m = a.length;
      double[][] full = new double[m][m];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          full[i][j] = a[i][j];
          full[j][i] = a[i][j];
        }
      }
      try {
        // Any positive pivot is accepted (σ² may be tiny).
        factor = new CholeskyDecomposition(new Array2DRowRealMatrix(full, false), 0.0, 0.0);
      } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
        throw new IllegalStateException("ppca: a matrix that should be positive definite is not (" + e.getMessage()
            + "); the data may be degenerate", e);
      }
    }

    /** @return {@code y} with {@code A y = b} */
    double[] solve(double[] b) {
      return factor.getSolver().solve(new ArrayRealVector(b, false)).toArray();
    }

    /** @return {@code log det A}, from the factor's diagonal */
    double logDeterminant() {
      RealMatrix l = factor.getL();
      double sum = 0;
      for (int i = 0; i < l.getRowDimension(); i++) {
        sum += 2 * Math.log(l.getEntry(i, i));
      }
      return sum;
    }
  }

  /** @return a float64 copy of float values, NaN kept. */
  static double[] widen(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
