package io.vi4j.plugins.factorized;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FactorizedGaussianTest {
  private static final double[] TRUE_MEAN = {0.0, 3.0, -2.0, 100.0, 0.5, 0.25};
  private static final double[] TRUE_STD = {1.0, 0.5, 2.0, 0.1, 0.0, 0.05};
  private static final int D = TRUE_MEAN.length;
  private static final int N = 3000;
  private static NDManager manager;
  private static Dataset train;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
    Random r = new Random(21);
    float[] v = new float[N * D];
    for (int n = 0; n < N; n++) {
      for (int d = 0; d < D; d++) {
        v[n * D + d] = (float) (TRUE_MEAN[d] + TRUE_STD[d] * r.nextGaussian());
      }
    }
    train = new Dataset("gaussian synthetic", v, N, D, null, null);
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** @return {mean, ML variance} per column, on the host in double. */
  private static double[][] hostMoments(Dataset data) {
    int d = data.columns();
    double[] mean = new double[d];
    double[] var = new double[d];
    for (int n = 0; n < data.rows(); n++) {
      for (int i = 0; i < d; i++) {
        mean[i] += data.values()[n * d + i];
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= data.rows();
    }
    for (int n = 0; n < data.rows(); n++) {
      for (int i = 0; i < d; i++) {
        double c = data.values()[n * d + i] - mean[i];
        var[i] += c * c;
      }
    }
    for (int i = 0; i < d; i++) {
      var[i] /= data.rows();
    }
    return new double[][] {mean, var};
  }

  private static double hostLogLikelihood(float[] x, double[] mean, double[] var) {
    double s = 0;
    for (int d = 0; d < mean.length; d++) {
      s += new NormalDistribution(null, mean[d], Math.sqrt(var[d])).logDensity(x[d]);
    }
    return s;
  }

  private static double hostMeanTrainLogLikelihood(double[] mean, double[] var) {
    double s = 0;
    for (int n = 0; n < N; n++) {
      s += hostLogLikelihood(train.row(n), mean, var);
    }
    return s / N;
  }

  @Test
  void fittedParametersAreTheSampleMoments() {
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    FitReport report = model.fit(train, manager, 0);
    double[][] moments = hostMoments(train);
    double[] mean = model.means();
    double[] var = model.variances();
    for (int d = 0; d < D; d++) {
      assertThat(mean[d]).isCloseTo(moments[0][d], within(1e-9 * Math.max(1, Math.abs(moments[0][d]))));
      if (d == 4) {
        assertThat(var[d]).isEqualTo(1e-6); // a constant column is floored
      } else {
        assertThat(var[d]).isCloseTo(moments[1][d], within(1e-9 * moments[1][d]));
      }
    }
    assertThat(report.iterations()).isZero();
    assertThat(report.converged()).isTrue();
    assertThat(report.trace()).isEmpty();
    assertThat(report.trainLogLikelihood())
        .isCloseTo(hostMeanTrainLogLikelihood(mean, var), within(1e-8));
    assertThat(model.parameterCount()).isEqualTo(2L * D);
    assertThat(model.dataKind()).isEqualTo(DataKind.CONTINUOUS);
  }

  @Test
  void logLikelihoodMatchesCommonsMathNormals() {
    FactorizedGaussian model = new FactorizedGaussian(new FactorizedGaussianSpec(1e-2));
    model.fit(train, manager, 0);
    double[] mean = model.means();
    double[] var = model.variances();
    assertThat(var[4]).isEqualTo(1e-2);
    float[][] points = {train.row(0), train.row(7), {1f, 2f, 3f, 99f, 0.4f, 0.3f}, new float[D]};
    float[] flat = new float[points.length * D];
    for (int i = 0; i < points.length; i++) {
      System.arraycopy(points[i], 0, flat, i * D, D);
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray ll = model.logLikelihood(step.create(flat, new Shape(points.length, D)));
      assertThat(ll.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(ll.getShape().getShape()).containsExactly(points.length);
      assertThat(ll.getManager()).isSameAs(step);
      double[] got = ll.toDoubleArray();
      for (int i = 0; i < points.length; i++) {
        double expected = hostLogLikelihood(points[i], mean, var);
        assertThat(got[i]).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
      }
      double meanLl = model.logLikelihood(step.create(train.values(), new Shape(N, D))).mean().getDouble();
      assertThat(meanLl).isCloseTo(hostMeanTrainLogLikelihood(mean, var), within(1e-8));
    }
  }

  @Test
  void theMaximumLikelihoodFitBeatsPerturbedParameters() {
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    double best = model.fit(train, manager, 0).trainLogLikelihood();
    double[] mean = model.means();
    double[] var = model.variances();
    Random r = new Random(2);
    for (int trial = 0; trial < 5; trial++) {
      double[] m = mean.clone();
      double[] v = var.clone();
      for (int d = 0; d < D; d++) {
        m[d] += 0.05 * Math.sqrt(var[d]) * r.nextGaussian();
        // stay in the model's parameter space: a floored (constant) column cannot go below the floor
        v[d] = Math.max(1e-6, v[d] * Math.exp(0.1 * r.nextGaussian()));
      }
      assertThat(hostMeanTrainLogLikelihood(m, v)).isLessThan(best);
    }
  }

  @Test
  void samplesHaveTheFittedMoments() {
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    model.fit(train, manager, 0);
    Engines.seed(8);
    int n = 50_000;
    try (NDManager step = manager.newSubManager()) {
      NDArray x = model.sample(n, step);
      assertThat(x.getShape().getShape()).containsExactly(n, D);
      assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(x.getManager()).isSameAs(step);
      double[][] moments = hostMoments(new Dataset("samples", x.toFloatArray(), n, D, null, null));
      double[] mean = model.means();
      double[] var = model.variances();
      for (int d = 0; d < D; d++) {
        double sd = Math.sqrt(var[d]);
        assertThat(moments[0][d]).isCloseTo(mean[d], within(5 * sd / Math.sqrt(n) + 1e-5 * Math.abs(mean[d])));
        assertThat(moments[1][d]).isCloseTo(var[d], within(0.05 * var[d] + 1e-8));
      }
    }
  }

  @Test
  void aSecondFitReplacesTheFirst() {
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    model.fit(train, manager, 0);
    Dataset shifted = train.head(100);
    model.fit(shifted, manager, 0);
    double[][] moments = hostMoments(shifted);
    assertThat(model.means()[1]).isCloseTo(moments[0][1], within(1e-9));
    try (NDManager step = manager.newSubManager()) {
      double[] got = model.logLikelihood(step.create(shifted.row(0), new Shape(1, D))).toDoubleArray();
      assertThat(got[0]).isCloseTo(hostLogLikelihood(shifted.row(0), model.means(), model.variances()),
          within(1e-8));
    }
  }

  @Test
  void scoringAndSamplingLeaveNoArraysBehind() {
    var model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
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
