package io.vi4j.core.uses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.core.model.AssembledModel;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/**
 * New data from a trained model and the latent-space walks that show what it learned: prior samples,
 * interpolations between items, traversals of one latent coordinate, the decoded manifold of a 2-D
 * latent space (Kingma &amp; Welling 2014, figure 4). Latents and outputs are host arrays, row-major.
 */
public final class Generation {
  private Generation() {}

  /**
   * Draws {@code t ~ p(t)} and decodes it.
   *
   * @param sampled draw {@code x ~ p(x | t)} instead of taking the decoder's mean
   * @return {@code count × D}
   */
  public static float[] priorSamples(AssembledModel model, int count, boolean sampled) {
    try (NDManager manager = model.manager().newSubManager()) {
      NDArray latent = model.model().prior().distribution(manager, count).sample(1).squeeze(0);
      return output(model.model().decoder().conditional(latent), sampled).toFloatArray();
    }
  }

  /**
   * Decodes given latents to the decoder's means (a sample where no mean is known).
   *
   * @param latents {@code n × L}
   * @return {@code n × D}
   */
  public static float[] decode(AssembledModel model, float[] latents, int n) {
    int l = model.model().latentDimension();
    try (NDManager manager = model.manager().newSubManager()) {
      NDArray t = manager.create(latents, new Shape(n, l));
      return output(model.model().decoder().conditional(t), false).toFloatArray();
    }
  }

  /**
   * Straight lines in latent space from {@code a[i]} to {@code b[i]} for each pair.
   *
   * @param a {@code pairs × L} start points
   * @param b {@code pairs × L} end points
   * @param steps points per line, ends included (at least 2)
   * @return {@code (pairs·steps) × L}, line by line
   */
  public static float[] interpolationLatents(float[] a, float[] b, int pairs, int l, int steps) {
    float[] out = new float[pairs * steps * l];
    for (int p = 0; p < pairs; p++) {
      for (int s = 0; s < steps; s++) {
        float w = s / (float) (steps - 1);
        for (int j = 0; j < l; j++) {
          out[(p * steps + s) * l + j] = (1 - w) * a[p * l + j] + w * b[p * l + j];
        }
      }
    }
    return out;
  }

  /**
   * One row per latent coordinate: {@code base} with that coordinate replaced by each of {@code values}.
   *
   * @param base length {@code L}
   * @return {@code (dims·values) × L}, dimension by dimension
   */
  public static float[] traversalLatents(float[] base, int dims, double[] values) {
    int l = base.length;
    float[] out = new float[dims * values.length * l];
    for (int d = 0; d < dims; d++) {
      for (int v = 0; v < values.length; v++) {
        int row = (d * values.length + v) * l;
        System.arraycopy(base, 0, out, row, l);
        out[row + d] = (float) values[v];
      }
    }
    return out;
  }

  /**
   * A {@code size × size} grid over a 2-D standard-normal latent space, through the inverse normal CDF of
   * evenly spaced probabilities (so that equal areas of prior mass get equal room), as Kingma &amp;
   * Welling's figure 4.
   *
   * @return {@code (size·size) × 2}, row by row, the second coordinate decreasing down the rows
   */
  public static float[] manifoldLatents(int size) {
    NormalDistribution normal = new NormalDistribution(0, 1);
    float[] out = new float[size * size * 2];
    for (int r = 0; r < size; r++) {
      for (int c = 0; c < size; c++) {
        out[(r * size + c) * 2] = (float) normal.inverseCumulativeProbability((c + 0.5) / size);
        out[(r * size + c) * 2 + 1] = (float) normal.inverseCumulativeProbability(1 - (r + 0.5) / size);
      }
    }
    return out;
  }

  /**
   * Projects latent means to 2-D for plotting: the coordinates themselves when {@code L ≤ 2}, else the
   * first two principal components (eigenvectors of their covariance).
   *
   * @param means {@code n × L}
   * @return {@code {x, y}}, each of length {@code n}
   */
  public static double[][] project2d(float[] means, int n, int l) {
    double[][] xy = new double[2][n];
    if (l <= 2) {
      for (int i = 0; i < n; i++) {
        xy[0][i] = means[i * l];
        xy[1][i] = l > 1 ? means[i * l + 1] : 0;
      }
      return xy;
    }
    double[] mean = new double[l];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        mean[j] += means[i * l + j] / (double) n;
      }
    }
    double[][] cov = new double[l][l];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < l; a++) {
        for (int b = 0; b < l; b++) {
          cov[a][b] += (means[i * l + a] - mean[a]) * (means[i * l + b] - mean[b]) / n;
        }
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(MatrixUtils.createRealMatrix(cov));
    double[] values = eigen.getRealEigenvalues();
    int first = 0;
    int second = -1;
    for (int k = 1; k < l; k++) {
      if (values[k] > values[first]) {
        first = k;
      }
    }
    for (int k = 0; k < l; k++) {
      if (k != first && (second < 0 || values[k] > values[second])) {
        second = k;
      }
    }
    double[] u = eigen.getEigenvector(first).toArray();
    double[] v = eigen.getEigenvector(second).toArray();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        double centred = means[i * l + j] - mean[j];
        xy[0][i] += centred * u[j];
        xy[1][i] += centred * v[j];
      }
    }
    return xy;
  }

  private static NDArray output(Distribution conditional, boolean sampled) {
    if (sampled) {
      return conditional.sample(1).squeeze(0);
    }
    return conditional.mean().orElseGet(() -> conditional.sample(1).squeeze(0));
  }
}
