package io.vi4j.plugins.factorized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FactorizedBernoulliTest {
  private static final double[] TRUE_P = {0.0, 1.0, 0.5, 0.1, 0.9, 0.3, 0.02, 0.7};
  private static final int D = TRUE_P.length;
  private static final int N = 3000;
  private static NDManager manager;
  private static Dataset train;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
    Random r = new Random(9);
    float[] v = new float[N * D];
    for (int n = 0; n < N; n++) {
      for (int d = 0; d < D; d++) {
        v[n * D + d] = r.nextDouble() < TRUE_P[d] ? 1f : 0f;
      }
    }
    train = new Dataset("bernoulli synthetic", v, N, D, null, null);
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static double[] columnMeans(Dataset data) {
    double[] m = new double[data.columns()];
    for (int n = 0; n < data.rows(); n++) {
      for (int d = 0; d < data.columns(); d++) {
        m[d] += data.values()[n * data.columns() + d];
      }
    }
    for (int d = 0; d < m.length; d++) {
      m[d] /= data.rows();
    }
    return m;
  }

  private static double hostLogLikelihood(float[] x, double[] p) {
    double s = 0;
    for (int d = 0; d < p.length; d++) {
      s += x[d] * Math.log(p[d]) + (1.0 - x[d]) * Math.log(1.0 - p[d]);
    }
    return s;
  }

  private static double hostMeanTrainLogLikelihood(double[] p) {
    double s = 0;
    for (int n = 0; n < N; n++) {
      s += hostLogLikelihood(train.row(n), p);
    }
    return s / N;
  }

  @Test
  void fittedProbabilitiesAreTheClampedColumnMeans() {
    FactorizedBernoulli model = new FactorizedBernoulli(FactorizedBernoulliSpec.defaults());
    FitReport report = model.fit(train, manager, 0);
    double[] means = columnMeans(train);
    double[] p = model.probabilities();
    assertThat(p[0]).isEqualTo(1e-6);
    assertThat(p[1]).isEqualTo(1 - 1e-6);
    for (int d = 2; d < D; d++) {
      assertThat(p[d]).isCloseTo(means[d], within(1e-12));
    }
    assertThat(report.iterations()).isZero();
    assertThat(report.converged()).isTrue();
    assertThat(report.trace()).isEmpty();
    assertThat(report.trainLogLikelihood())
        .isCloseTo(hostMeanTrainLogLikelihood(p), within(1e-9));
    assertThat(model.parameterCount()).isEqualTo(D);
    assertThat(model.dataKind()).isEqualTo(DataKind.BINARY);
  }

  @Test
  void logLikelihoodMatchesTheHostFormulaAlsoForSoftTargets() {
    FactorizedBernoulli model = new FactorizedBernoulli(new FactorizedBernoulliSpec(1e-3));
    model.fit(train, manager, 0);
    double[] p = model.probabilities();
    assertThat(p[0]).isEqualTo(1e-3);
    float[][] points = {
      train.row(0), train.row(1), {0.2f, 0.8f, 0.5f, 0f, 1f, 0.33f, 0.9f, 0.1f}, new float[D],
    };
    float[] flat = new float[points.length * D];
    for (int i = 0; i < points.length; i++) {
      System.arraycopy(points[i], 0, flat, i * D, D);
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray ll = model.logLikelihood(step.create(flat, new Shape(points.length, D)));
      assertThat(ll.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(ll.getManager()).isSameAs(step);
      double[] got = ll.toDoubleArray();
      for (int i = 0; i < points.length; i++) {
        assertThat(got[i]).isCloseTo(hostLogLikelihood(points[i], p), within(1e-9));
      }
      // the mean over the training data is the reported one
      double mean = model.logLikelihood(step.create(train.values(), new Shape(N, D))).mean().getDouble();
      assertThat(mean).isCloseTo(hostMeanTrainLogLikelihood(p), within(1e-9));
    }
  }

  @Test
  void theMaximumLikelihoodFitBeatsPerturbedParameters() {
    FactorizedBernoulli model = new FactorizedBernoulli(FactorizedBernoulliSpec.defaults());
    double best = model.fit(train, manager, 0).trainLogLikelihood();
    double[] p = model.probabilities();
    Random r = new Random(1);
    for (int trial = 0; trial < 5; trial++) {
      double[] perturbed = p.clone();
      for (int d = 0; d < D; d++) {
        perturbed[d] = Math.min(1 - 1e-6, Math.max(1e-6, p[d] + 0.05 * r.nextGaussian()));
      }
      assertThat(hostMeanTrainLogLikelihood(perturbed)).isLessThan(best);
    }
  }

  @Test
  void samplesHaveTheFittedMeans() {
    FactorizedBernoulli model = new FactorizedBernoulli(FactorizedBernoulliSpec.defaults());
    model.fit(train, manager, 0);
    Engines.seed(5);
    int n = 50_000;
    try (NDManager step = manager.newSubManager()) {
      NDArray x = model.sample(n, step);
      assertThat(x.getShape().getShape()).containsExactly(n, D);
      assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(x.getManager()).isSameAs(step);
      Dataset drawn = new Dataset("samples", x.toFloatArray(), n, D, null, null);
      for (float v : drawn.values()) {
        assertThat(v == 0f || v == 1f).isTrue();
      }
      double[] means = columnMeans(drawn);
      double[] p = model.probabilities();
      for (int d = 0; d < D; d++) {
        assertThat(means[d]).isCloseTo(p[d], within(5 * Math.sqrt(p[d] * (1 - p[d]) / n) + 1e-9));
      }
    }
  }

  @Test
  void refusesBeforeFitAndWrongShapes() {
    FactorizedBernoulli model = new FactorizedBernoulli(FactorizedBernoulliSpec.defaults());
    assertThatThrownBy(model::parameterCount).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not fitted");
    model.fit(train, manager, 0);
    assertThatThrownBy(() -> model.logLikelihood(manager.zeros(new Shape(2, 3))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(B, 8)");
  }

  @Test
  void scoringAndSamplingLeaveNoArraysBehind() {
    var model = new FactorizedBernoulli(FactorizedBernoulliSpec.defaults());
    model.fit(train, manager, 0);
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.create(java.util.Arrays.copyOf(train.values(), 20 * D), new Shape(20, D));
      int base = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
      int local = ((ai.djl.ndarray.BaseNDManager) step).getManagedArrays().size();
      for (int i = 0; i < 5; i++) {
        model.logLikelihood(x).close();
        model.sample(7, step).close();
      }
      assertThat(((ai.djl.ndarray.BaseNDManager) step).getManagedArrays()).hasSize(local);
      assertThat(((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()).hasSize(base);
    }
  }
}
