package io.vi4j.plugins.linear;

import java.util.Arrays;

/**
 * Dense row-major {@code double[][]} arithmetic on the host for the small matrices of PPCA: the
 * {@code D × q} and {@code q × q} pieces, and {@code S·W} with the {@code D × D} sample covariance
 * ({@code O(D²q)}). Nothing here is {@code O(D³)}.
 */
final class HostMatrices {
  private HostMatrices() {}

  /** @return {@code a · b}, shape {@code (rows(a), cols(b))}. */
  static double[][] times(double[][] a, double[][] b) {
    int n = a.length;
    int inner = b.length;
    int m = b[0].length;
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      double[] ai = a[i];
      double[] oi = out[i];
      for (int j = 0; j < inner; j++) {
        double s = ai[j];
        if (s == 0) {
          continue;
        }
        double[] bj = b[j];
        for (int k = 0; k < m; k++) {
          oi[k] += s * bj[k];
        }
      }
    }
    return out;
  }

  /** @return {@code aᵀ · b}, shape {@code (cols(a), cols(b))}. */
  static double[][] transposeTimes(double[][] a, double[][] b) {
    int n = a.length;
    int p = a[0].length;
    int m = b[0].length;
    double[][] out = new double[p][m];
    for (int r = 0; r < n; r++) {
      double[] ar = a[r];
      double[] br = b[r];
      for (int i = 0; i < p; i++) {
        double s = ar[i];
        double[] oi = out[i];
        for (int k = 0; k < m; k++) {
          oi[k] += s * br[k];
        }
      }
    }
    return out;
  }

  /** @return {@code a · bᵀ}, shape {@code (rows(a), rows(b))}. */
  static double[][] timesTranspose(double[][] a, double[][] b) {
    double[][] out = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        out[i][j] = dot(a[i], b[j]);
      }
    }
    return out;
  }

  /** @return {@code Σ_i a_i b_i}. */
  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** @return {@code tr(a · bᵀ) = Σ_ij a_ij b_ij}. */
  static double frobeniusInner(double[][] a, double[][] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += dot(a[i], b[i]);
    }
    return s;
  }

  /** @return {@code tr(a)} of a square matrix. */
  static double trace(double[][] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i][i];
    }
    return s;
  }

  /** Replaces a square matrix by {@code (a + aᵀ)/2}, in place, and returns it. */
  static double[][] symmetrize(double[][] a) {
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (a[i][j] + a[j][i]);
        a[i][j] = v;
        a[j][i] = v;
      }
    }
    return a;
  }

  /** Adds {@code c} to the diagonal, in place, and returns the matrix. */
  static double[][] addToDiagonal(double[][] a, double c) {
    for (int i = 0; i < a.length; i++) {
      a[i][i] += c;
    }
    return a;
  }

  /** @return a deep copy. */
  static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  /** @return the matrix as one row-major array, for {@code NDManager.create(double[], Shape)}. */
  static double[] flatten(double[][] a) {
    int m = a.length == 0 ? 0 : a[0].length;
    double[] out = new double[a.length * m];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * m, m);
    }
    return out;
  }

  /** @return {@code rows × cols} from a row-major array. */
  static double[][] unflatten(double[] values, int rows, int cols) {
    double[][] out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = Arrays.copyOfRange(values, i * cols, (i + 1) * cols);
    }
    return out;
  }
}
