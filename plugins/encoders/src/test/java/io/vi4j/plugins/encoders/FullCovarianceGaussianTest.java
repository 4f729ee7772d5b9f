package io.vi4j.plugins.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.StandardNormal;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The full-covariance Gaussian against host-side closed forms in double precision. */
class FullCovarianceGaussianTest {
  private static final int L = 3;

  @Test
  void loadedAsAUserWouldItHasTheCholeskyHeadAndItsCapabilities() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.VARIATIONAL_FAMILY)).contains("full-covariance-mlp");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(4);
      var spec = new FullCovarianceMlpEncoderSpec(List.of(16), ActivationName.TANH, null, FullCovarianceMlpEncoderSpec.TriangleInit.UNIFORM);
      VariationalFamily encoder =
          registry.create(ComponentKind.VARIATIONAL_FAMILY, spec, new BuildContext(12, 4, m, null));
      assertThat(encoder.posteriorCapabilities())
          .contains(Capability.DENSITY, Capability.RSAMPLE, Capability.ENTROPY, Capability.DETACH);
      // head: 4 means, 4 log-diagonals, 6 strictly-lower entries
      long count = encoder.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      assertThat(count).isEqualTo(12 * 16 + 16 + 16 * 14 + 14);
      Distribution q = encoder.posterior(m.randomUniform(0, 1, new Shape(5, 12)));
      assertThat(q.rsample(7).getShape().getShape()).containsExactly(7, 5, 4);
      assertThat(q.logProb(q.sample(2)).getShape().getShape()).containsExactly(2, 5);
      float[] scale = ((FullCovarianceGaussian) q).scale().toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertThat(scale[i * 4 + i]).isPositive();
        for (int j = i + 1; j < 4; j++) {
          assertThat(scale[i * 4 + j]).isZero(); // upper triangle
        }
      }
    }
  }

  @Test
  void logProbEntropyAndKlMatchTheHostClosedForms() {
    Random random = new Random(11);
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      int b = 2;
      double[] mu = gaussians(random, b * L);
      double[] logDiag = gaussians(random, b * L);
      double[] tri = gaussians(random, b * L * (L - 1) / 2);
      double[] t = gaussians(random, 4 * b * L); // (K=4, B, L), arbitrary points
      FullCovarianceGaussian q = build(m, mu, logDiag, tri, b);
      double[] logProb = q.logProb(m.create(t, new Shape(4, b, L))).toDoubleArray();
      double[] entropy = q.entropy().orElseThrow().toDoubleArray();
      double[] kl = q.analyticKl(new StandardNormal(m, b, L)).orElseThrow().toDoubleArray();
      for (int item = 0; item < b; item++) {
        double[][] chol = hostCholesky(logDiag, tri, item);
        double logDet = 0; // log det Σ = 2 Σ log Lᵢᵢ
        double trace = 0;
        double meanSquare = 0;
        for (int i = 0; i < L; i++) {
          logDet += 2 * Math.log(chol[i][i]);
          meanSquare += mu[item * L + i] * mu[item * L + i];
          for (int j = 0; j <= i; j++) {
            trace += chol[i][j] * chol[i][j];
          }
        }
        for (int k = 0; k < 4; k++) {
          double[] y = new double[L]; // forward substitution L y = t − μ
          double quad = 0;
          for (int i = 0; i < L; i++) {
            double s = t[(k * b + item) * L + i] - mu[item * L + i];
            for (int j = 0; j < i; j++) {
              s -= chol[i][j] * y[j];
            }
            y[i] = s / chol[i][i];
            quad += y[i] * y[i];
          }
          double expected = -0.5 * quad - 0.5 * logDet - 0.5 * L * Math.log(2 * Math.PI);
          assertThat(logProb[k * b + item]).isCloseTo(expected, within(1e-9));
        }
        assertThat(entropy[item]).isCloseTo(0.5 * L * (1 + Math.log(2 * Math.PI)) + 0.5 * logDet, within(1e-9));
        assertThat(kl[item]).isCloseTo(0.5 * (trace + meanSquare - L - logDet), within(1e-9));
      }
    }
  }

  @Test
  void rsampleHasMeanMuAndCovarianceLLTransposed() {
    Random random = new Random(3);
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(9);
      double[] mu = gaussians(random, L);
      double[] logDiag = {0.2, -0.3, 0.1};
      double[] tri = {0.8, -0.5, 0.6};
      FullCovarianceGaussian q = build(m, mu, logDiag, tri, 1);
      int n = 200_000;
      double[] draws = q.rsample(n).toDoubleArray();
      double[][] chol = hostCholesky(logDiag, tri, 0);
      for (int i = 0; i < L; i++) {
        double mean = 0;
        for (int s = 0; s < n; s++) {
          mean += draws[s * L + i] / n;
        }
        assertThat(mean).isCloseTo(mu[i], within(0.02));
        for (int j = 0; j < L; j++) {
          double cov = 0;
          for (int s = 0; s < n; s++) {
            cov += (draws[s * L + i] - mu[i]) * (draws[s * L + j] - mu[j]) / n;
          }
          double expected = 0;
          for (int k = 0; k < L; k++) {
            expected += chol[i][k] * chol[j][k];
          }
          assertThat(cov).as("Σ[%d][%d]", i, j).isCloseTo(expected, within(0.03));
        }
      }
    }
  }

  /** Builds through the encoder's own assembly (placement matrices) in float64. */
  private static FullCovarianceGaussian build(NDManager m, double[] mu, double[] logDiag, double[] tri, int b) {
    var encoder = new FullCovarianceMlpEncoder(m, new Shape(2), L, new FullCovarianceMlpEncoderSpec(List.of(2), null, null, FullCovarianceMlpEncoderSpec.TriangleInit.UNIFORM));
    return encoder.assemble(
        m.create(mu, new Shape(b, L)), m.create(logDiag, new Shape(b, L)), m.create(tri, new Shape(b, L * (L - 1) / 2)));
  }

  private static double[][] hostCholesky(double[] logDiag, double[] tri, int item) {
    double[][] chol = new double[L][L];
    int k = item * L * (L - 1) / 2;
    for (int i = 0; i < L; i++) {
      chol[i][i] = Math.exp(logDiag[item * L + i]);
      for (int j = 0; j < i; j++) {
        chol[i][j] = tri[k++];
      }
    }
    return chol;
  }

  private static double[] gaussians(Random random, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian() * 0.7;
    }
    return x;
  }

  @Test
  void aZeroStartedTriangleGivesADiagonalPosteriorUntilTrained() {
    try (ai.djl.ndarray.NDManager m = io.vi4j.core.engine.Engines.pytorch().newBaseManager()) {
      var spec = new FullCovarianceMlpEncoderSpec(List.of(8), ActivationName.TANH, null,
          FullCovarianceMlpEncoderSpec.TriangleInit.ZERO);
      var encoder = new FullCovarianceMlpEncoder(m, new ai.djl.ndarray.types.Shape(5), 4, spec);
      var data = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 5));
      float[] scale = ((FullCovarianceGaussian) encoder.posterior(data)).scale().toFloatArray();
      int nonZeroBelow = 0;
      int diagonal = 0;
      for (int b = 0; b < 3; b++) {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            float v = scale[b * 16 + i * 4 + j];
            nonZeroBelow += j < i && v != 0f ? 1 : 0;
            diagonal += j == i && v > 0f ? 1 : 0;
          }
        }
      }
      org.assertj.core.api.Assertions.assertThat(nonZeroBelow).isZero();
      org.assertj.core.api.Assertions.assertThat(diagonal).isEqualTo(12);
      var uniform = new FullCovarianceMlpEncoder(m, new ai.djl.ndarray.types.Shape(5), 4,
          new FullCovarianceMlpEncoderSpec(List.of(8), ActivationName.TANH, null,
              FullCovarianceMlpEncoderSpec.TriangleInit.UNIFORM));
      float[] random = ((FullCovarianceGaussian) uniform.posterior(data)).scale().toFloatArray();
      org.assertj.core.api.Assertions.assertThat(random[4]).as("L[1][0] under the uniform start").isNotZero();
    }
  }

  @Test
  void itsOwnDrawsScoreExactlyEvenWhenTheFactorIsIllConditioned() {
    // σ = 1e-3 on the diagonal beside off-diagonal entries of 0.5: L⁻¹ has entries near 500^19, and solving
    // with L in float32 (a general inverse, or forward substitution) gives -Infinity or values off by
    // orders of magnitude.
    int e = 20;
    try (NDManager m = io.vi4j.core.engine.Engines.pytorch().newBaseManager()) {
      float[] l = new float[e * e];
      float[] logDiagonal = new float[e];
      for (int i = 0; i < e; i++) {
        logDiagonal[i] = (float) Math.log(1e-3);
        l[i * e + i] = 1e-3f;
        for (int j = 0; j < i; j++) {
          l[i * e + j] = 0.5f;
        }
      }
      NDArray mean = m.zeros(new Shape(1, e));
      var q = new FullCovarianceGaussian(mean, m.create(logDiagonal, new Shape(1, e)), m.create(l, new Shape(1, e, e)));
      io.vi4j.core.engine.Engines.seed(3);
      NDArray noise = m.randomNormal(new Shape(4, 1, e));
      io.vi4j.core.engine.Engines.seed(3);
      float[] logQ = q.logProb(q.sample(4)).toFloatArray(); // the same ε
      io.vi4j.core.engine.Engines.seed(3);
      assertThat(q.logProb(q.rsample(4)).toFloatArray()).containsExactly(logQ);
      float[] eps = noise.toFloatArray();
      for (int k = 0; k < 4; k++) {
        double squared = 0;
        for (int i = 0; i < e; i++) {
          squared += eps[k * e + i] * eps[k * e + i];
        }
        double exact = -0.5 * squared - e * Math.log(1e-3) - 0.5 * e * Math.log(2 * Math.PI);
        assertThat((double) logQ[k]).as("draw %d", k).isCloseTo(exact, within(0.05));
      }
    }
  }
}
