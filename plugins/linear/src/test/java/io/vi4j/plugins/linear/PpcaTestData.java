package io.vi4j.plugins.linear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/** Seeded synthetic PPCA data and host-side reference computations for the tests. */
final class PpcaTestData {
  static final int D = 10;
  static final int Q = 3;
  static final double SIGMA2 = 0.1;

  private PpcaTestData() {}

  /** A known {@code W} (D × q) with well separated column norms, seeded. */
  static double[][] trueWeight() {
    Random r = new Random(11);
    double[] scales = {3.0, 2.0, 1.4};
    double[][] w = new double[D][Q];
    for (int i = 0; i < D; i++) {
      for (int k = 0; k < Q; k++) {
        w[i][k] = r.nextGaussian() * scales[k] / Math.sqrt(D);
      }
    }
    return w;
  }

  static double[] trueMean() {
    double[] mu = new double[D];
    for (int i = 0; i < D; i++) {
      mu[i] = 0.5 + 0.1 * i;
    }
    return mu;
  }

  /** {@code n} items of {@code x = W t + μ + σ ε}, seeded. */
  static Dataset draw(double[][] w, double[] mu, double sigma2, int n, long seed) {
    Random r = new Random(seed);
    int d = mu.length;
    int q = w[0].length;
    float[] values = new float[n * d];
    double[] t = new double[q];
    double sigma = Math.sqrt(sigma2);
    for (int row = 0; row < n; row++) {
      for (int k = 0; k < q; k++) {
        t[k] = r.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double x = mu[i] + sigma * r.nextGaussian();
        for (int k = 0; k < q; k++) {
          x += w[i][k] * t[k];
        }
        values[row * d + i] = (float) x;
      }
    }
    return new Dataset("synthetic ppca", values, n, d, null, null);
  }

  static Dataset standard(int n, long seed) {
    return draw(trueWeight(), trueMean(), SIGMA2, n, seed);
  }

  /** @return {@code W Wᵀ + σ² I}, exactly symmetric. */
  static double[][] modelCovariance(double[][] w, double sigma2) {
    int d = w.length;
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int k = 0; k < w[0].length; k++) {
          s += w[i][k] * w[j][k];
        }
        c[i][j] = s + (i == j ? sigma2 : 0);
      }
    }
    return c;
  }

  /** @return the projector {@code W (WᵀW)⁻¹ Wᵀ} onto the column space of {@code W}. */
  static RealMatrix projector(double[][] w) {
    RealMatrix m = new Array2DRowRealMatrix(w);
    RealMatrix gram = m.transpose().multiply(m);
    return m.multiply(MatrixUtils.inverse(gram)).multiply(m.transpose());
  }

  /** @return the sample mean and ML covariance of a dataset, on the host in double. */
  static double[][] hostCovariance(Dataset data, double[] meanOut) {
    int n = data.rows();
    int d = data.columns();
    float[] v = data.values();
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        meanOut[i] += v[r * d + i];
      }
    }
    for (int i = 0; i < d; i++) {
      meanOut[i] /= n;
    }
    double[][] s = new double[d][d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        double a = v[r * d + i] - meanOut[i];
        for (int j = 0; j < d; j++) {
          s[i][j] += a * (v[r * d + j] - meanOut[j]);
        }
      }
    }
    for (double[] row : s) {
      for (int j = 0; j < d; j++) {
        row[j] /= n;
      }
    }
    return s;
  }

  /** @return rows {@code [from, to)} as a float32 array. */
  static NDArray rows(NDManager m, Dataset data, int from, int to) {
    int d = data.columns();
    float[] slice = java.util.Arrays.copyOfRange(data.values(), from * d, to * d);
    return m.create(slice, new Shape(to - from, d));
  }
}
