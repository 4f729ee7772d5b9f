package io.vi4j.plugins.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.core.engine.Engines;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PpcaTest {
  private static NDManager manager;
  private static Dataset train;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
    train = PpcaTestData.standard(2000, 5);
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static Ppca closedForm() {
    Ppca p = new Ppca(new PpcaSpec(PpcaTestData.Q, null, null, null, null));
    p.fit(train, manager, 0);
    return p;
  }

  private static Ppca em(int iterations, double tolerance, long seed) {
    Ppca p = new Ppca(new PpcaSpec(PpcaTestData.Q, PpcaSpec.Method.EM, iterations, tolerance, null));
    p.fit(train, manager, seed);
    return p;
  }

  @Test
  void emConvergesToTheClosedForm() {
    Ppca cf = new Ppca(new PpcaSpec(PpcaTestData.Q, null, null, null, null));
    FitReport cfReport = cf.fit(train, manager, 0);
    Ppca em = new Ppca(new PpcaSpec(PpcaTestData.Q, PpcaSpec.Method.EM, 5000, 1e-12, null));
    FitReport emReport = em.fit(train, manager, 42);

    assertThat(cfReport.iterations()).isZero();
    assertThat(cfReport.converged()).isTrue();
    assertThat(cfReport.trace()).isEmpty();
    assertThat(emReport.converged()).isTrue();
    assertThat(emReport.trainLogLikelihood())
        .isCloseTo(cfReport.trainLogLikelihood(), within(1e-3 * Math.abs(cfReport.trainLogLikelihood())));
    // EM never exceeds the maximum (up to rounding)
    assertThat(emReport.trainLogLikelihood()).isLessThanOrEqualTo(cfReport.trainLogLikelihood() + 1e-9);
    assertThat(em.noiseVariance()).isCloseTo(cf.noiseVariance(), within(1e-4 * cf.noiseVariance()));
    double gap = PpcaTestData.projector(em.weight())
        .subtract(PpcaTestData.projector(cf.weight()))
        .getFrobeniusNorm();
    assertThat(gap).isLessThan(1e-3);
    // W Wᵀ is rotation-invariant, so it agrees too
    RealMatrix wwEm = new Array2DRowRealMatrix(PpcaTestData.modelCovariance(em.weight(), 0));
    RealMatrix wwCf = new Array2DRowRealMatrix(PpcaTestData.modelCovariance(cf.weight(), 0));
    assertThat(wwEm.subtract(wwCf).getFrobeniusNorm() / wwCf.getFrobeniusNorm()).isLessThan(1e-3);
  }

  @Test
  void theEmTraceNeverDecreases() {
    Ppca em = new Ppca(new PpcaSpec(PpcaTestData.Q, PpcaSpec.Method.EM, 300, 1e-10, null));
    FitReport report = em.fit(train, manager, 7);
    List<Double> trace = report.trace();
    assertThat(trace).hasSize(report.iterations());
    assertThat(trace.get(trace.size() - 1)).isEqualTo(report.trainLogLikelihood());
    for (int i = 1; i < trace.size(); i++) {
      assertThat(trace.get(i)).isGreaterThanOrEqualTo(trace.get(i - 1) - 1e-12 * Math.abs(trace.get(i - 1)));
    }
    assertThat(trace.get(trace.size() - 1)).isGreaterThan(trace.get(0));
  }

  @Test
  void emStopsAtMaxIterationsUnconverged() {
    Ppca em = new Ppca(new PpcaSpec(PpcaTestData.Q, PpcaSpec.Method.EM, 2, 1e-12, null));
    FitReport report = em.fit(train, manager, 7);
    assertThat(report.iterations()).isEqualTo(2);
    assertThat(report.converged()).isFalse();
    assertThat(report.trace()).hasSize(2);
  }

  @Test
  void emIsSeededAndClosedFormIsNot() {
    double[][] a = em(5, 1e-12, 3).weight();
    double[][] b = em(5, 1e-12, 3).weight();
    assertThat(a).isDeepEqualTo(b);
    Ppca cf1 = new Ppca(new PpcaSpec(PpcaTestData.Q, null, null, null, null));
    cf1.fit(train, manager, 1);
    Ppca cf2 = new Ppca(new PpcaSpec(PpcaTestData.Q, null, null, null, null));
    cf2.fit(train, manager, 999);
    assertThat(cf1.weight()).isDeepEqualTo(cf2.weight());
  }

  @Test
  void logLikelihoodEqualsTheMultivariateNormalDensity() {
    for (Ppca model : List.of(closedForm(), em(50, 1e-12, 1))) {
      double[][] c = PpcaTestData.modelCovariance(model.weight(), model.noiseVariance());
      MultivariateNormalDistribution reference = new MultivariateNormalDistribution(model.mean(), c);
      int d = PpcaTestData.D;
      float[] points = new float[5 * d];
      System.arraycopy(train.values(), 0, points, 0, 3 * d); // three training items
      for (int i = 0; i < d; i++) {
        points[3 * d + i] = (float) model.mean()[i]; // the mode
        points[4 * d + i] = (float) (model.mean()[i] + (i % 2 == 0 ? 1.5 : -1.0)); // far away
      }
      try (NDManager step = manager.newSubManager()) {
        NDArray x = step.create(points, new ai.djl.ndarray.types.Shape(5, d));
        NDArray ll = model.logLikelihood(x);
        assertThat(ll.getDataType()).isEqualTo(DataType.FLOAT64);
        assertThat(ll.getShape().getShape()).containsExactly(5);
        assertThat(ll.getManager()).isSameAs(step);
        double[] got = ll.toDoubleArray();
        for (int r = 0; r < 5; r++) {
          double[] point = new double[d];
          for (int i = 0; i < d; i++) {
            point[i] = points[r * d + i];
          }
          double expected = Math.log(reference.density(point));
          assertThat(got[r]).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        }
        // log|C| by the determinant lemma
        double logDet = Math.log(new org.apache.commons.math3.linear.LUDecomposition(
            new Array2DRowRealMatrix(c)).getDeterminant());
        assertThat(model.logDeterminant()).isCloseTo(logDet, within(1e-9 * Math.abs(logDet)));
      }
    }
  }

  @Test
  void theReportedTrainLogLikelihoodIsTheMeanOverTheData() {
    Ppca cf = new Ppca(new PpcaSpec(PpcaTestData.Q, null, null, null, null));
    FitReport report = cf.fit(train, manager, 0);
    try (NDManager step = manager.newSubManager()) {
      double mean = cf.logLikelihood(PpcaTestData.rows(step, train, 0, train.rows())).mean().getDouble();
      assertThat(report.trainLogLikelihood()).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
    }
  }

  @Test
  void closedFormNoiseIsTheMeanDiscardedEigenvalue() {
    Ppca cf = closedForm();
    double[] mu = new double[PpcaTestData.D];
    double[][] s = PpcaTestData.hostCovariance(train, mu);
    double[] eig = new EigenDecomposition(new Array2DRowRealMatrix(s)).getRealEigenvalues().clone();
    Arrays.sort(eig);
    int d = PpcaTestData.D;
    int q = PpcaTestData.Q;
    double discarded = 0;
    for (int i = 0; i < d - q; i++) {
      discarded += eig[i]; // ascending: the d − q smallest
    }
    discarded /= d - q;
    assertThat(cf.noiseVariance()).isCloseTo(discarded, within(1e-9 * discarded));
    double[] got = cf.eigenvalues();
    for (int i = 0; i < d; i++) {
      assertThat(got[i]).isCloseTo(eig[d - 1 - i], within(1e-9 * eig[d - 1]));
    }
    for (int i = 0; i < d; i++) {
      assertThat(cf.mean()[i]).isCloseTo(mu[i], within(1e-12));
    }
    // the closed form's columns are orthogonal with squared norms λ_k − σ²
    double[][] w = cf.weight();
    double[][] gram = HostMatrices.transposeTimes(w, w);
    for (int k = 0; k < q; k++) {
      for (int l = 0; l < q; l++) {
        double expected = k == l ? eig[d - 1 - k] - discarded : 0;
        assertThat(gram[k][l]).isCloseTo(expected, within(1e-9 * eig[d - 1]));
      }
    }
  }

  @Test
  void recoversAKnownModel() {
    Dataset big = PpcaTestData.standard(4000, 17);
    for (PpcaSpec.Method method : PpcaSpec.Method.values()) {
      Ppca p = new Ppca(new PpcaSpec(PpcaTestData.Q, method,
          method == PpcaSpec.Method.EM ? 2000 : null, method == PpcaSpec.Method.EM ? 1e-10 : null, null));
      p.fit(big, manager, 2);
      assertThat(p.noiseVariance()).isCloseTo(PpcaTestData.SIGMA2, within(0.05 * PpcaTestData.SIGMA2));
      double gap = PpcaTestData.projector(p.weight())
          .subtract(PpcaTestData.projector(PpcaTestData.trueWeight()))
          .getFrobeniusNorm();
      assertThat(gap).as("subspace distance, %s", method).isLessThan(0.1);
      double[] mu = PpcaTestData.trueMean();
      for (int i = 0; i < mu.length; i++) {
        assertThat(p.mean()[i]).isCloseTo(mu[i], within(0.15));
      }
    }
  }

  @Test
  void posteriorIsBishops12_2_1() {
    for (Ppca model : List.of(closedForm(), em(30, 1e-12, 4))) {
      double[][] w = model.weight();
      double sigma2 = model.noiseVariance();
      int q = PpcaTestData.Q;
      RealMatrix wm = new Array2DRowRealMatrix(w);
      RealMatrix m = wm.transpose().multiply(wm)
          .add(MatrixUtils.createRealIdentityMatrix(q).scalarMultiply(sigma2));
      RealMatrix mInv = MatrixUtils.inverse(m);
      try (NDManager step = manager.newSubManager()) {
        NDArray x = PpcaTestData.rows(step, train, 10, 13);
        Ppca.Posterior post = model.posterior(x);
        assertThat(post.mean().getShape().getShape()).containsExactly(3, q);
        assertThat(post.mean().getManager()).isSameAs(step);
        double[] means = post.mean().toDoubleArray();
        for (int r = 0; r < 3; r++) {
          double[] centred = new double[PpcaTestData.D];
          for (int i = 0; i < centred.length; i++) {
            centred[i] = train.values()[(10 + r) * PpcaTestData.D + i] - model.mean()[i];
          }
          RealVector expected = mInv.operate(wm.transpose().operate(MatrixUtils.createRealVector(centred)));
          for (int k = 0; k < q; k++) {
            assertThat(means[r * q + k]).isCloseTo(expected.getEntry(k), within(1e-9));
          }
        }
        for (int k = 0; k < q; k++) {
          for (int l = 0; l < q; l++) {
            assertThat(post.covariance()[k][l]).isCloseTo(sigma2 * mInv.getEntry(k, l), within(1e-12));
          }
        }
      }
    }
    // with the closed form's rotation the posterior covariance is diagonal
    double[][] cov = closedForm().posterior(manager.zeros(new ai.djl.ndarray.types.Shape(1, PpcaTestData.D)))
        .covariance();
    assertThat(cov[0][1]).isCloseTo(0, within(1e-12));
    assertThat(cov[1][2]).isCloseTo(0, within(1e-12));
  }

  @Test
  void samplesHaveTheModelCovariance() {
    Ppca cf = closedForm();
    Engines.seed(123);
    int n = 100_000;
    try (NDManager step = manager.newSubManager()) {
      NDArray x = cf.sample(n, step);
      assertThat(x.getShape().getShape()).containsExactly(n, PpcaTestData.D);
      assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(x.getManager()).isSameAs(step);
      Dataset drawn = new Dataset("samples", x.toFloatArray(), n, PpcaTestData.D, null, null);
      double[] mu = new double[PpcaTestData.D];
      RealMatrix s = new Array2DRowRealMatrix(PpcaTestData.hostCovariance(drawn, mu));
      RealMatrix c = new Array2DRowRealMatrix(PpcaTestData.modelCovariance(cf.weight(), cf.noiseVariance()));
      assertThat(s.subtract(c).getFrobeniusNorm() / c.getFrobeniusNorm()).isLessThan(0.02);
      for (int i = 0; i < mu.length; i++) {
        assertThat(mu[i]).isCloseTo(cf.mean()[i], within(0.03));
      }
    }
  }

  @Test
  void scoringAndSamplingLeaveNoArraysBehind() {
    Ppca cf = closedForm();
    try (NDManager step = manager.newSubManager()) {
      NDArray x = PpcaTestData.rows(step, train, 0, 50);
      int base = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
      int local = ((ai.djl.ndarray.BaseNDManager) step).getManagedArrays().size();
      for (int i = 0; i < 5; i++) {
        cf.logLikelihood(x).close();
        cf.posterior(x).mean().close();
        cf.sample(7, step).close();
      }
      assertThat(((ai.djl.ndarray.BaseNDManager) step).getManagedArrays()).hasSize(local);
      assertThat(((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()).hasSize(base);
      assertThat(base).isGreaterThan(local);
    }
  }

  @Test
  void countsAndKind() {
    Ppca cf = closedForm();
    int d = PpcaTestData.D;
    int q = PpcaTestData.Q;
    assertThat(cf.parameterCount()).isEqualTo((long) d * q + 1 + d - q * (q - 1) / 2);
    assertThat(cf.dataKind()).isEqualTo(DataKind.CONTINUOUS);
    assertThat(cf.latentDimension()).isEqualTo(q);
    assertThat(cf.dimension()).isEqualTo(d);
    assertThat(cf.weight()).hasDimensions(d, q);
  }

  @Test
  void refusesWhatItCannotDo() {
    Ppca unfitted = new Ppca(PpcaSpec.defaults());
    org.assertj.core.api.Assertions.assertThatThrownBy(unfitted::parameterCount)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not fitted");
    Ppca tooWide = new Ppca(new PpcaSpec(PpcaTestData.D, null, null, null, null));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tooWide.fit(train, manager, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latent_dim must be below the data dimension 10, got 10");
    Ppca cf = closedForm();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cf.logLikelihood(manager.zeros(new ai.djl.ndarray.types.Shape(2, 4))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(B, 10)");
  }
}
