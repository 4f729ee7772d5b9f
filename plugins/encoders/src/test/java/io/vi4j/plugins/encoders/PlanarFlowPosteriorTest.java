package io.vi4j.plugins.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Planar flows: the log-determinant against a numeric Jacobian, the constraint on û, the refusals. */
class PlanarFlowPosteriorTest {
  private static final int E = 3;
  private static final int F = 3;

  @Test
  void logDeterminantMatchesANumericJacobianInDoublePrecision() {
    Random random = new Random(17);
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      int b = 2;
      PlanarFlowPosterior q = new PlanarFlowPosterior(
          m.create(gaussians(random, b * E, 1.0), new Shape(b, E)),
          m.create(gaussians(random, b * E, 0.5), new Shape(b, E)),
          m.create(gaussians(random, b * F * (2 * E + 1), 1.5), new Shape(b, F, 2 * E + 1)));
      int points = 4;
      double[] start = gaussians(random, points * b * E, 1.0);
      NDArray z0 = m.create(start, new Shape(points, b, E));
      NDArray[] pushed = q.push(z0);
      // log q(z_F) = log q₀(z₀) − log|det ∂z_F/∂z₀|
      double[] logQ = pushed[1].toDoubleArray();
      double[] baseLogQ = q.baseLogProb(z0).toDoubleArray();
      double h = 1e-6;
      for (int p = 0; p < points; p++) {
        for (int item = 0; item < b; item++) {
          double[][] jacobian = new double[E][E];
          for (int j = 0; j < E; j++) {
            double[] plus = start.clone();
            double[] minus = start.clone();
            plus[(p * b + item) * E + j] += h;
            minus[(p * b + item) * E + j] -= h;
            double[] up = q.push(m.create(plus, new Shape(points, b, E)))[0].toDoubleArray();
            double[] down = q.push(m.create(minus, new Shape(points, b, E)))[0].toDoubleArray();
            for (int i = 0; i < E; i++) {
              jacobian[i][j] = (up[(p * b + item) * E + i] - down[(p * b + item) * E + i]) / (2 * h);
            }
          }
          double logDet = Math.log(Math.abs(determinant(jacobian)));
          assertThat(baseLogQ[p * b + item] - logQ[p * b + item]).as("point %d item %d", p, item)
              .isCloseTo(logDet, within(1e-6));
        }
      }
    }
  }

  @Test
  void theConstraintKeepsEachTransformInvertibleEvenWhenWTransposeUIsVeryNegative() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      // u = −5 w: wᵀu = −5·‖w‖², far below −1; û must give wᵀû = −1 + softplus(wᵀu) > −1
      double[] flow = {-5, -10, 1, 2, 0.3}; // u, w, b
      PlanarFlowPosterior q = new PlanarFlowPosterior(
          m.create(new double[2], new Shape(1, 2)), m.create(new double[2], new Shape(1, 2)),
          m.create(flow, new Shape(1, 1, 5)));
      double wu = -25;
      double expected = -1 + Math.log1p(Math.exp(wu));
      double[] hatU = q.push(m.create(new double[] {0, 0}, new Shape(1, 1, 2)))[0].toDoubleArray();
      // z₀ = 0: z₁ = û tanh(b), so û = z₁ / tanh(0.3), and wᵀû must be m(wᵀu)
      double wHatU = (1 * hatU[0] + 2 * hatU[1]) / Math.tanh(0.3);
      assertThat(wHatU).isCloseTo(expected, within(1e-9)).isGreaterThan(-1);
    }
  }

  @Test
  void aVanishingWLeavesTheFlowFiniteAndItsLogDeterminantThatOfTheMapApplied() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      double[] flow = {0.5, -0.3, 1e-9, 0, 0.1}; // u, w ≈ 0, b
      PlanarFlowPosterior q = new PlanarFlowPosterior(
          m.create(new double[2], new Shape(1, 2)), m.create(new double[2], new Shape(1, 2)),
          m.create(flow, new Shape(1, 1, 5)));
      NDArray z0 = m.create(new double[] {0.4, -1.1}, new Shape(1, 1, 2));
      NDArray[] pushed = q.push(z0);
      double[] t = pushed[0].toDoubleArray();
      double logDet = q.baseLogProb(z0).getDouble(0, 0) - pushed[1].getDouble(0, 0);
      assertThat(java.util.Arrays.stream(t).allMatch(Double::isFinite)).as("z_1 finite").isTrue();
      assertThat(logDet).isFinite().isCloseTo(0.0, within(1e-3)); // w ≈ 0: the map is nearly a shift
    }
  }

  @Test
  void logProbIsKnownForItsOwnDrawsAndRefusedForAnythingElse() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.VARIATIONAL_FAMILY)).contains("planar-flow-mlp");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(2);
      var spec = new PlanarFlowMlpEncoderSpec(List.of(16), ActivationName.TANH, F);
      VariationalFamily encoder =
          registry.create(ComponentKind.VARIATIONAL_FAMILY, spec, new BuildContext(12, E, m, null));
      assertThat(encoder.posteriorCapabilities())
          .containsExactlyInAnyOrder(Capability.DENSITY, Capability.RSAMPLE);
      long count = encoder.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      int head = 2 * E + F * (2 * E + 1);
      assertThat(count).isEqualTo(12 * 16 + 16 + 16 * head + head);
      Distribution q = encoder.posterior(m.randomUniform(0, 1, new Shape(5, 12)));
      NDArray t = q.rsample(7);
      assertThat(t.getShape().getShape()).containsExactly(7, 5, E);
      assertThat(q.logProb(t).getShape().getShape()).containsExactly(7, 5);
      NDArray s = q.sample(2);
      assertThat(q.logProb(s).getShape().getShape()).containsExactly(2, 5);
      assertThat(q.mean()).isEmpty();
      assertThatThrownBy(() -> q.logProb(t.duplicate()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("log q is known only for the draws this distribution made itself");
    }
  }

  @Test
  void specRejectsAnEmptyFlowNamingTheField() {
    assertThatThrownBy(() -> new PlanarFlowMlpEncoderSpec(List.of(8), null, 0))
        .hasMessageContaining("flow_length must be at least 1, got 0");
    assertThat(new PlanarFlowMlpEncoderSpec(null, null, null).flowLength()).isEqualTo(4);
  }

  private static double determinant(double[][] a) {
    int n = a.length;
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = a[i].clone();
    }
    double det = 1;
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(x[r][c]) > Math.abs(x[pivot][c])) {
          pivot = r;
        }
      }
      if (pivot != c) {
        double[] tmp = x[pivot];
        x[pivot] = x[c];
        x[c] = tmp;
        det = -det;
      }
      det *= x[c][c];
      for (int r = c + 1; r < n; r++) {
        double factor = x[r][c] / x[c][c];
        for (int k = c; k < n; k++) {
          x[r][k] -= factor * x[c][k];
        }
      }
    }
    return det;
  }

  private static double[] gaussians(Random random, int n, double scale) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian() * scale;
    }
    return x;
  }
}
