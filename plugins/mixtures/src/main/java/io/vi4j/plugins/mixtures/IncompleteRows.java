package io.vi4j.plugins.mixtures;

import io.vi4j.api.kit.math.NdMath;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Rows with missing coordinates (NaN) under a Gaussian mixture, on the host in float64: the marginal
 * densities of their observed coordinates, the E-step of EM with missing values, and conditional means
 * (Ghahramani &amp; Jordan 1994, "Supervised learning from incomplete data via an EM approach", NIPS 6).
 *
 * <p>For a component {@code N(μ, Σ)} and a row with observed coordinates {@code o} and missing ones
 * {@code m}: {@code x_o ~ N(μ_o, Σ_oo)} (the marginal: drop the missing coordinates), and {@code x_m | x_o
 * ~ N(μ_m + K (x_o − μ_o), Σ_mm − K Σ_om)} with {@code K = Σ_mo Σ_oo⁻¹}. A diagonal component has {@code
 * K = 0}: the conditional mean is {@code μ_m} and the conditional variance {@code σ²_m}.
 *
 * <p>The E-step's expected sufficient statistics of a row are {@code r_k}, {@code r_k x̂_k} and {@code r_k
 * (x̂_k x̂_kᵀ + C_k)} (full) or {@code r_k (x̂_k² + diag C_k)} (diagonal), with {@code x̂_k} the row with its
 * missing coordinates replaced by their conditional mean under component {@code k} and {@code C_k} the
 * conditional covariance placed in the missing block; the responsibilities {@code r_k ∝ w_k N(x_o; μ_ko,
 * Σ_koo)} come from the observed coordinates. The {@link MStep} is then the same as for complete data.
 *
 * <p>Rows are visited grouped by their pattern of missing coordinates, so that each full component's
 * missing block of the precision, {@code Λ_mm}, is factored once per pattern ({@link Covariances#cholesky});
 * {@code Λ = Σ⁻¹} comes from the parameters' Cholesky factors once per pass. Values are in the parameters'
 * shifted coordinates.
 */
final class IncompleteRows {
  private final double[] x;
  private final int n;
  private final int d;
  /** Row indices sorted by missing pattern. */
  private final int[] order;
  /** Group g covers {@code order[starts[g] .. starts[g+1])}. */
  private final int[] starts;
  private final int[][] observedOf;
  private final int[][] missingOf;

  /**
   * @param shifted row-major {@code n × D}, NaN where missing, in the shifted coordinates; not copied
   */
  IncompleteRows(double[] shifted, int n, int d) {
    this.x = shifted;
    this.n = n;
    this.d = d;
    order = io.vi4j.api.data.IncompleteData.byMissingPattern(shifted, n, d);
    int[] s = new int[n + 1];
    int groups = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || !samePattern(order[i - 1], order[i])) {
        s[groups++] = i;
      }
    }
    s[groups] = n;
    starts = Arrays.copyOf(s, groups + 1);
    observedOf = new int[groups][];
    missingOf = new int[groups][];
    for (int g = 0; g < groups; g++) {
      int row = order[starts[g]];
      observedOf[g] = IntStream.range(0, d).filter(j -> !Double.isNaN(shifted[row * d + j])).toArray();
      missingOf[g] = IntStream.range(0, d).filter(j -> Double.isNaN(shifted[row * d + j])).toArray();
    }
  }

  /** Shifts float values by {@code shift} into float64, NaN kept. */
  static double[] shift(float[] values, double[] shift) {
    int d = shift.length;
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] - shift[i % d];
    }
    return out;
  }

  private boolean samePattern(int a, int b) {
    for (int j = 0; j < d; j++) {
      if (Double.isNaN(x[a * d + j]) != Double.isNaN(x[b * d + j])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The precision {@code Λ_k = Σ_k⁻¹ = A_kᵀ A_k} ({@code A_k = L_k⁻¹}, the parameters' factors) and {@code ½
   * log|Σ_k|} of each full component; null for a diagonal mixture.
   */
  private static double[][][] precisions(MixtureParameters p) {
    if (!p.full()) {
      return null;
    }
    int k = p.components();
    int dim = p.dimension();
    double[][][] out = new double[k][dim][dim];
    for (int c = 0; c < k; c++) {
      double[][] a = p.factors[c].inverseLower();
      for (int i = 0; i < dim; i++) {
        for (int j = 0; j <= i; j++) {
          double v = 0;
          for (int t = i; t < dim; t++) { // A is lower triangular: A_ti = 0 for t < i
            v += a[t][i] * a[t][j];
          }
          out[c][i][j] = v;
          out[c][j][i] = v;
        }
      }
    }
    return out;
  }

  /**
   * One component restricted to a missing pattern. Full components work from the precision {@code Λ = Σ⁻¹}
   * (Schur complements), so that a pattern factors only its small missing block: {@code x_m | x_o ~ N(μ_m −
   * Λ_mm⁻¹ Λ_mo (x_o − μ_o), Λ_mm⁻¹)}, {@code Σ_oo⁻¹ = Λ_oo − Λ_om Λ_mm⁻¹ Λ_mo} and {@code log|Σ_oo| =
   * log|Σ| + log|Λ_mm|}.
   */
  private static final class Conditional {
    final double[] mean;
    final int[] obs;
    final int[] mis;
    final double[] variance; // diagonal: the variances; null when full
    final double[][] precision; // full: Λ (D × D)
    final double[][] lowerMm; // full: the Cholesky factor of Λ_mm
    final double halfLogDet; // ½ log|Σ_oo|
    final double[][] conditionalCov; // full: Λ_mm⁻¹ (|m| × |m|)

    Conditional(MixtureParameters p, int c, double[][] precision, int[] obs, int[] mis) {
      this.mean = p.means[c];
      this.obs = obs;
      this.mis = mis;
      if (!p.full()) {
        variance = p.variances[c];
        double h = 0;
        for (int j : obs) {
          h += 0.5 * Math.log(variance[j]);
        }
        halfLogDet = h;
        this.precision = null;
        lowerMm = null;
        conditionalCov = null;
        return;
      }
      variance = null;
      this.precision = precision;
      int nm = mis.length;
      double[][] lmm = new double[nm][nm];
      for (int a = 0; a < nm; a++) {
        for (int b = 0; b < nm; b++) {
          lmm[a][b] = precision[mis[a]][mis[b]];
        }
      }
      lowerMm = nm == 0 ? new double[0][0] : Covariances.cholesky(lmm, 1e-300);
      double h = p.factors[c].halfLogDet();
      for (int a = 0; a < nm; a++) {
        h += Math.log(lowerMm[a][a]);
      }
      halfLogDet = h;
      conditionalCov = new double[nm][];
      for (int a = 0; a < nm; a++) {
        double[] unit = new double[nm];
        unit[a] = 1;
        conditionalCov[a] = solve(lowerMm, unit);
      }
      for (int a = 0; a < nm; a++) {
        for (int b = 0; b < a; b++) {
          double v = 0.5 * (conditionalCov[a][b] + conditionalCov[b][a]);
          conditionalCov[a][b] = v;
          conditionalCov[b][a] = v;
        }
      }
    }

    /**
     * @param values rows, read at {@code offset} (length D, NaN at the missing coordinates)
     * @param filled receives the row with its missing coordinates at their conditional mean
     * @return {@code log N(x_o; μ_o, Σ_oo)}
     */
    double logDensity(double[] values, int offset, double[] filled) {
      int no = obs.length;
      double quad = 0;
      double[] e = new double[no];
      for (int a = 0; a < no; a++) {
        int j = obs[a];
        e[a] = values[offset + j] - mean[j];
        filled[j] = values[offset + j];
      }
      if (variance != null) {
        for (int a = 0; a < no; a++) {
          quad += e[a] * e[a] / variance[obs[a]];
        }
        for (int j : mis) {
          filled[j] = mean[j];
        }
      } else {
        for (int a = 0; a < no; a++) {
          double[] row = precision[obs[a]];
          double v = 0;
          for (int b = 0; b < no; b++) {
            v += row[obs[b]] * e[b];
          }
          quad += e[a] * v;
        }
        int nm = mis.length;
        if (nm > 0) {
          double[] g = new double[nm];
          for (int a = 0; a < nm; a++) {
            double[] row = precision[mis[a]];
            double v = 0;
            for (int b = 0; b < no; b++) {
              v += row[obs[b]] * e[b];
            }
            g[a] = v;
          }
          double[] h = solve(lowerMm, g);
          for (int a = 0; a < nm; a++) {
            quad -= g[a] * h[a];
            filled[mis[a]] = mean[mis[a]] - h[a];
          }
        }
      }
      return -0.5 * (no * NdMath.LOG_2PI + quad) - halfLogDet;
    }
  }

  private Conditional[] conditionals(MixtureParameters p, double[][][] precisions, int g) {
    Conditional[] out = new Conditional[p.components()];
    for (int c = 0; c < out.length; c++) {
      out[c] = new Conditional(p, c, precisions == null ? null : precisions[c], observedOf[g], missingOf[g]);
    }
    return out;
  }

  /**
   * The E-step under {@code p}: expected sufficient statistics in {@code p}'s covariance form and the
   * observed-data log-likelihood {@code Σ_i log p(x_i,o)}.
   */
  SufficientStatistics expectation(MixtureParameters p) {
    int k = p.components();
    boolean full = p.full();
    double[] counts = new double[k];
    double[] sums = new double[k * d];
    double[] squares = new double[full ? k * d * d : k * d];
    double[] logLik = new double[1];
    visit(p, (row, lse, resp, filled, comps) -> {
      logLik[0] += lse;
      int[] mis = comps[0].mis;
      for (int c = 0; c < k; c++) {
        double r = resp[c];
        if (r == 0) {
          continue;
        }
        counts[c] += r;
        double[] f = filled[c];
        for (int j = 0; j < d; j++) {
          sums[c * d + j] += r * f[j];
        }
        if (full) {
          int base = c * d * d;
          for (int a = 0; a < d; a++) {
            double ra = r * f[a];
            int rowBase = base + a * d;
            for (int b = 0; b < d; b++) {
              squares[rowBase + b] += ra * f[b];
            }
          }
          double[][] cc = comps[c].conditionalCov;
          for (int a = 0; a < mis.length; a++) {
            for (int b = 0; b < mis.length; b++) {
              squares[base + mis[a] * d + mis[b]] += r * cc[a][b];
            }
          }
        } else {
          double[] var = p.variances[c];
          for (int j = 0; j < d; j++) {
            squares[c * d + j] += r * f[j] * f[j];
          }
          for (int j : mis) {
            squares[c * d + j] += r * var[j];
          }
        }
      }
    });
    return new SufficientStatistics(counts, sums, squares, logLik[0]);
  }

  /**
   * @return per row {@code log p(x_o) = log Σ_k w_k N(x_o; μ_ko, Σ_koo)}, nats (0 for a row with nothing
   *     observed)
   */
  double[] logDensities(MixtureParameters p) {
    double[] out = new double[n];
    visit(p, (row, lse, r, filled, comps) -> out[row] = lse);
    return out;
  }

  /**
   * @return row-major {@code n × D}: each row with its missing coordinates replaced by {@code E[x_m | x_o]
   *     = Σ_k r_k(x_o) E_k[x_m | x_o]}, shifted coordinates
   */
  double[] conditionalMeans(MixtureParameters p) {
    double[] out = x.clone();
    visit(p, (row, lse, r, filled, comps) -> {
      for (int j = 0; j < d; j++) {
        if (Double.isNaN(x[row * d + j])) {
          double v = 0;
          for (int c = 0; c < r.length; c++) {
            v += r[c] * filled[c][j];
          }
          out[row * d + j] = v;
        }
      }
    });
    return out;
  }

  private interface RowVisitor {
    void visit(int row, double logDensity, double[] responsibilities, double[][] filled, Conditional[] comps);
  }

  private void visit(MixtureParameters p, RowVisitor visitor) {
    int k = p.components();
    double[] logJoint = new double[k];
    double[] r = new double[k];
    double[][] filled = new double[k][d];
    double[][][] precisions = precisions(p);
    for (int g = 0; g + 1 < starts.length; g++) {
      Conditional[] comps = conditionals(p, precisions, g);
      for (int at = starts[g]; at < starts[g + 1]; at++) {
        int row = order[at];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double lw = p.weights[c] > 0 ? Math.log(p.weights[c]) : Double.NEGATIVE_INFINITY;
          logJoint[c] = lw + comps[c].logDensity(x, row * d, filled[c]);
          max = Math.max(max, logJoint[c]);
        }
        double total = 0;
        for (int c = 0; c < k; c++) {
          total += Math.exp(logJoint[c] - max);
        }
        double lse = max + Math.log(total);
        for (int c = 0; c < k; c++) {
          r[c] = Math.exp(logJoint[c] - lse);
        }
        visitor.visit(row, lse, r, filled, comps);
      }
    }
  }

  /** Solves {@code L Lᵀ y = b}. */
  static double[] solve(double[][] lower, double[] b) {
    double[] z = forward(lower, b);
    int m = z.length;
    double[] y = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double s = z[i];
      for (int j = i + 1; j < m; j++) {
        s -= lower[j][i] * y[j];
      }
      y[i] = s / lower[i][i];
    }
    return y;
  }

  /** Solves {@code L z = b}. */
  static double[] forward(double[][] lower, double[] b) {
    int m = b.length;
    double[] z = new double[m];
    for (int i = 0; i < m; i++) {
      double s = b[i];
      double[] li = lower[i];
      for (int j = 0; j < i; j++) {
        s -= li[j] * z[j];
      }
      z[i] = s / li[i];
    }
    return z;
  }
}
