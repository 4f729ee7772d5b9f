package io.vi4j.plugins.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** PPCA's imputation is the Gaussian conditional mean μ_m + C_mo C_oo⁻¹ (x_o − μ_o), C = WWᵀ + σ²I. */
class PpcaImputationTest {

  @Test
  void conditionalMeanEqualsTheGaussianConditional() {
    int d = 6;
    int n = 500;
    Random random = new Random(3);
    float[] values = new float[n * d];
    for (int i = 0; i < n; i++) {
      double t0 = random.nextGaussian();
      double t1 = random.nextGaussian();
      for (int j = 0; j < d; j++) {
        values[i * d + j] = (float) (Math.sin(j + 1) * t0 + Math.cos(2 * j) * t1 + 0.1 * j + 0.2 * random.nextGaussian());
      }
    }
    Dataset data = new Dataset("ppca", values, n, d, null, null);
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Ppca ppca = new Ppca(new PpcaSpec(2, null, null, null, null));
      ppca.fit(data, manager, 0);
      boolean[] missing = new boolean[2 * d];
      missing[1] = missing[4] = true;                 // item 0: two scattered coordinates
      missing[d + 3] = missing[d + 4] = missing[d + 5] = true; // item 1: the last half
      float[] observed = java.util.Arrays.copyOf(values, 2 * d);
      float[] imputed = ppca.conditionalMean(observed, missing, 2);
      RealMatrix w = MatrixUtils.createRealMatrix(ppca.weight());
      RealMatrix c = w.multiply(w.transpose()).add(MatrixUtils.createRealIdentityMatrix(d).scalarMultiply(ppca.noiseVariance()));
      double[] mu = ppca.mean();
      for (int item = 0; item < 2; item++) {
        java.util.List<Integer> o = new java.util.ArrayList<>();
        java.util.List<Integer> m = new java.util.ArrayList<>();
        for (int j = 0; j < d; j++) {
          (missing[item * d + j] ? m : o).add(j);
        }
        RealMatrix coo = c.getSubMatrix(o.stream().mapToInt(Integer::intValue).toArray(), o.stream().mapToInt(Integer::intValue).toArray());
        RealMatrix cmo = c.getSubMatrix(m.stream().mapToInt(Integer::intValue).toArray(), o.stream().mapToInt(Integer::intValue).toArray());
        double[] centred = new double[o.size()];
        for (int k = 0; k < o.size(); k++) {
          centred[k] = observed[item * d + o.get(k)] - mu[o.get(k)];
        }
        double[] expected = cmo.operate(new LUDecomposition(coo).getSolver().solve(MatrixUtils.createRealVector(centred))).toArray();
        for (int k = 0; k < m.size(); k++) {
          assertThat((double) imputed[item * d + m.get(k)]).isCloseTo(mu[m.get(k)] + expected[k], within(1e-4));
        }
        for (int j : o) {
          assertThat(imputed[item * d + j]).isEqualTo(observed[item * d + j]);
        }
      }
    }
  }
}
