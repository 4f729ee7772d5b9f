package io.vi4j.plugins.mixtures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Ancestral sampling from a fitted mixture on the device, from the engine's (seeded) random stream: the
 * component by the Gumbel-max trick on {@code log w} (Gumbel 1954, "Statistical theory of extreme values
 * and some practical applications"; the argmax of {@code log w_k + g_k}, {@code g_k} standard Gumbel, is
 * distributed as {@code w}), then {@code μ_k + σ_k ⊙ ε} (diagonal) or {@code μ_k + L_k ε} (full, {@code
 * Σ_k = L_k L_kᵀ}) with {@code ε ~ N(0, I_D)}.
 *
 * <p>Per chunk of {@code B} items: uniforms {@code (B, K)}, the one-hot components {@code (B, K)}, {@code ε
 * (B, D)}; the full form forms {@code ε} times the stacked {@code L_kᵀ (D, K·D)}, {@code (B, K·D)}, and
 * keeps each item's own component.
 */
final class MixtureSampler {

  private MixtureSampler() {}

  /**
   * @param p the fitted parameters
   * @param chunk items per chunk
   * @return {@code (count, D)}, float32, on {@code manager}
   */
  static NDArray sample(MixtureParameters p, int count, int chunk, NDManager manager) {
    int k = p.components();
    int d = p.dimension();
    if (count == 0) {
      return manager.zeros(new Shape(0, d), DataType.FLOAT32);
    }
    try (NDManager scope = manager.newSubManager()) {
      double[] logWeights = new double[k];
      for (int c = 0; c < k; c++) {
        logWeights[c] = p.weights[c] > 0 ? Math.log(p.weights[c]) : Double.NEGATIVE_INFINITY;
      }
      double[][] dataMeans = p.dataMeans();
      double[] meanFlat = new double[k * d];
      for (int c = 0; c < k; c++) {
        System.arraycopy(dataMeans[c], 0, meanFlat, c * d, d);
      }
      NDArray logW = scope.create(logWeights);
      NDArray means = scope.create(meanFlat, new Shape(k, d));
      NDArray scale; // diagonal: σ (K, D); full: stacked L_kᵀ (D, K·D)
      if (p.full()) {
        double[] lt = new double[d * k * d];
        for (int c = 0; c < k; c++) {
          double[][] l = p.factors[c].lower();
          for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
              lt[i * k * d + c * d + j] = l[j][i];
            }
          }
        }
        scale = scope.create(lt, new Shape(d, (long) k * d));
      } else {
        double[] sd = new double[k * d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            sd[c * d + j] = Math.sqrt(p.variances[c][j]);
          }
        }
        scale = scope.create(sd, new Shape(k, d));
      }
      NDList parts = new NDList();
      for (int start = 0; start < count; start += chunk) {
        int b = Math.min(count, start + chunk) - start;
        NDArray u = scope.randomUniform(Float.MIN_NORMAL, 1f, new Shape(b, k), DataType.FLOAT64);
        NDArray gumbel = u.log().neg().log().neg();
        NDArray onehot = gumbel.add(logW).argMax(1).oneHot(k, DataType.FLOAT64); // (b, K)
        NDArray eps = scope.randomNormal(0f, 1f, new Shape(b, d), DataType.FLOAT64);
        NDArray x;
        if (p.full()) {
          NDArray all = eps.matMul(scale).reshape(b, k, d); // L_k ε for every k
          x = all.mul(onehot.expandDims(2)).sum(new int[] {1}).add(onehot.matMul(means));
        } else {
          x = onehot.matMul(scale).mul(eps).add(onehot.matMul(means));
        }
        parts.add(x);
      }
      NDArray out =
          (parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0)).toType(DataType.FLOAT32, false);
      out.attach(manager);
      return out;
    }
  }
}
