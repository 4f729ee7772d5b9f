package io.vi4j.plugins.mixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.plugins.mixtures.GaussianMixtureSpec.Covariance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.util.Pair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GaussianMixtureTest {

  /** The known mixture: 3 components in 2-D with distinct weights, means and (correlated) covariances. */
  static final double[] WEIGHTS = {0.5, 0.3, 0.2};

  static final double[][] MEANS = {{0, 0}, {5, 4}, {-4, 5}};
  static final double[][][] FULL_COVARIANCES = {
    {{1.0, 0.6}, {0.6, 1.0}},
    {{0.5, -0.2}, {-0.2, 0.3}},
    {{2.0, 0.0}, {0.0, 0.4}},
  };
  static final double[][][] DIAGONAL_COVARIANCES = {
    {{1.0, 0.0}, {0.0, 0.25}},
    {{0.5, 0.0}, {0.0, 0.3}},
    {{2.0, 0.0}, {0.0, 0.8}},
  };

  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  static double[][][] truth(Covariance covariance) {
    return covariance == Covariance.FULL ? FULL_COVARIANCES : DIAGONAL_COVARIANCES;
  }

  /** {@code n} seeded draws from the known mixture with the given covariances. */
  static Dataset draw(int n, double[][][] covariances, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      int k = u < WEIGHTS[0] ? 0 : u < WEIGHTS[0] + WEIGHTS[1] ? 1 : 2;
      double[][] s = covariances[k];
      double l00 = Math.sqrt(s[0][0]);
      double l10 = s[1][0] / l00;
      double l11 = Math.sqrt(s[1][1] - l10 * l10);
      double e0 = random.nextGaussian();
      double e1 = random.nextGaussian();
      values[2 * i] = (float) (MEANS[k][0] + l00 * e0);
      values[2 * i + 1] = (float) (MEANS[k][1] + l10 * e0 + l11 * e1);
      labels[i] = k;
    }
    return new Dataset("known mixture", values, n, 2, labels, null);
  }

  static GaussianMixtureSpec spec(
      int k, Covariance covariance, int restarts, int maxIterations, double tolerance) {
    return new GaussianMixtureSpec(k, covariance, restarts, maxIterations, tolerance, null, null);
  }

  // (a) ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void emNeverDecreasesTheTrainLogLikelihood(Covariance covariance) {
    Dataset data = draw(3000, truth(covariance), 11);
    // Too many components for the data: EM moves slowly and runs all its iterations.
    GaussianMixture gmm = new GaussianMixture(spec(6, covariance, 1, 60, 1e-12), 2);
    FitReport report = gmm.fit(data, manager, 5);
    List<Double> trace = report.trace();
    assertThat(trace).hasSize(report.iterations());
    assertThat(trace.size()).isGreaterThan(10);
    for (int i = 1; i < trace.size(); i++) {
      double before = trace.get(i - 1);
      assertThat(trace.get(i))
          .as("iteration %d of %s", i + 1, trace)
          .isGreaterThanOrEqualTo(before - 1e-6 * Math.abs(before));
    }
    assertThat(report.trainLogLikelihood()).isEqualTo(trace.get(trace.size() - 1));
  }

  // (b) ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void recoversTheParametersOfAKnownMixture(Covariance covariance) {
    double[][][] truth = truth(covariance);
    Dataset data = draw(6000, truth, 21);
    GaussianMixture gmm = new GaussianMixture(spec(3, covariance, 2, 200, 1e-7), 2);
    FitReport report = gmm.fit(data, manager, 7);
    assertThat(report.converged()).isTrue();

    double[] w = gmm.weights();
    double[][] mu = gmm.means();
    double[][][] sigma = gmm.covariances();
    assertThat(w[0] + w[1] + w[2]).isCloseTo(1, within(1e-9));
    boolean[] used = new boolean[3];
    for (int t = 0; t < 3; t++) {
      int match = nearest(mu, MEANS[t]);
      assertThat(used[match]).as("two true components matched fitted component %d", match).isFalse();
      used[match] = true;
      assertThat(w[match]).as("weight of component %d", t).isCloseTo(WEIGHTS[t], within(0.03));
      for (int j = 0; j < 2; j++) {
        assertThat(mu[match][j]).as("mean %d of component %d", j, t).isCloseTo(MEANS[t][j], within(0.1));
        for (int i = 0; i < 2; i++) {
          double expected = truth[t][i][j];
          double tolerance = 0.15 * Math.sqrt(truth[t][i][i] * truth[t][j][j]);
          assertThat(sigma[match][i][j])
              .as("covariance (%d,%d) of component %d", i, j, t)
              .isCloseTo(expected, within(tolerance));
        }
      }
    }
  }

  static int nearest(double[][] means, double[] target) {
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int k = 0; k < means.length; k++) {
      double dx = means[k][0] - target[0];
      double dy = means[k][1] - target[1];
      if (dx * dx + dy * dy < bestDistance) {
        bestDistance = dx * dx + dy * dy;
        best = k;
      }
    }
    return best;
  }

  // (c) ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void logLikelihoodIsTheExactMixtureDensity(Covariance covariance) {
    Dataset data = draw(2000, truth(covariance), 31);
    GaussianMixture gmm = new GaussianMixture(spec(3, covariance, 1, 30, 1e-6), 2);
    gmm.fit(data, manager, 3);

    List<Pair<Double, MultivariateNormalDistribution>> parts = new ArrayList<>();
    double[] w = gmm.weights();
    double[][] mu = gmm.means();
    double[][][] sigma = gmm.covariances();
    for (int k = 0; k < 3; k++) {
      parts.add(new Pair<>(w[k], new MultivariateNormalDistribution(mu[k], sigma[k])));
    }
    MixtureMultivariateNormalDistribution reference = new MixtureMultivariateNormalDistribution(parts);

    float[] points = {0f, 0f, 5f, 4f, -4f, 5f, 1.5f, -2.25f, 10f, -10f};
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(points, new Shape(5, 2));
      NDArray logp = gmm.logLikelihood(x);
      assertThat(logp.getShape()).isEqualTo(new Shape(5));
      assertThat(logp.getDataType()).isEqualTo(DataType.FLOAT64);
      double[] got = logp.toDoubleArray();
      for (int i = 0; i < 5; i++) {
        double expected = Math.log(reference.density(new double[] {points[2 * i], points[2 * i + 1]}));
        assertThat(got[i]).as("log p at point %d", i).isCloseTo(expected, within(1e-9 * (1 + Math.abs(expected))));
      }
    }
    // and the fit's reported figure is the mean of these densities over the training data
    assertThat(gmm.meanLogLikelihood(data)).isFinite();
  }

  // (d) ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void samplesHaveTheModelsMeanAndCovariance(Covariance covariance) {
    Dataset data = draw(3000, truth(covariance), 41);
    GaussianMixture gmm = new GaussianMixture(spec(3, covariance, 1, 50, 1e-6), 2);
    gmm.fit(data, manager, 9);
    double[] w = gmm.weights();
    double[][] mu = gmm.means();
    double[][][] sigma = gmm.covariances();
    double[] mean = new double[2];
    double[][] second = new double[2][2];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 2; i++) {
        mean[i] += w[k] * mu[k][i];
        for (int j = 0; j < 2; j++) {
          second[i][j] += w[k] * (sigma[k][i][j] + mu[k][i] * mu[k][j]);
        }
      }
    }
    double[][] cov = new double[2][2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        cov[i][j] = second[i][j] - mean[i] * mean[j];
      }
    }

    int n = 40_000;
    Engines.seed(123);
    double[] s;
    try (NDManager m = manager.newSubManager()) {
      NDArray samples = gmm.sample(n, m);
      assertThat(samples.getShape()).isEqualTo(new Shape(n, 2));
      assertThat(samples.getDataType()).isEqualTo(DataType.FLOAT32);
      s = samples.toType(DataType.FLOAT64, false).toDoubleArray();
    }
    double[] sampleMean = new double[2];
    for (int r = 0; r < n; r++) {
      sampleMean[0] += s[2 * r] / n;
      sampleMean[1] += s[2 * r + 1] / n;
    }
    double[][] sampleCov = new double[2][2];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          sampleCov[i][j] += (s[2 * r + i] - sampleMean[i]) * (s[2 * r + j] - sampleMean[j]) / (n - 1);
        }
      }
    }
    for (int i = 0; i < 2; i++) {
      // five standard errors of a mean
      assertThat(sampleMean[i]).isCloseTo(mean[i], within(5 * Math.sqrt(cov[i][i] / n)));
      for (int j = 0; j < 2; j++) {
        // the mixture's fourth moments are bounded by a few times the squared scale: 5% of it is > 5 SEs
        double scale = Math.sqrt(cov[i][i] * cov[j][j]);
        assertThat(sampleCov[i][j]).as("cov(%d,%d)", i, j).isCloseTo(cov[i][j], within(0.05 * scale));
      }
    }
  }

  // (e) ------------------------------------------------------------------------------------------

  @Test
  void loadedAsAUserWouldGmmIsABaseline() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.BASELINE)).contains("gmm");
    GaussianMixtureSpec spec = spec(3, Covariance.FULL, 1, 20, 1e-5);
    assertThat(registry.nameOf(spec)).isEqualTo("gmm");
    try (NDManager m = manager.newSubManager()) {
      BaselineModel model =
          registry.create(ComponentKind.BASELINE, spec, new BuildContext(2, 0, m, null));
      assertThat(model).isInstanceOf(GaussianMixture.class);
      assertThat(model.dataKind()).isEqualTo(DataKind.CONTINUOUS);
      // full: K(D + D(D+1)/2 + 1) − 1 = 3·(2 + 3 + 1) − 1
      assertThat(model.parameterCount()).isEqualTo(17);
      FitReport report = model.fit(draw(500, FULL_COVARIANCES, 3), m, 1);
      assertThat(report.trainLogLikelihood()).isFinite();
      NDArray x = m.create(new float[] {0f, 0f, 5f, 4f}, new Shape(2, 2));
      assertThat(model.logLikelihood(x).getShape()).isEqualTo(new Shape(2));
    }
  }

  // (f) ------------------------------------------------------------------------------------------

  @Test
  void specFillsDefaults() {
    GaussianMixtureSpec spec = GaussianMixtureSpec.defaults();
    assertThat(spec.components()).isEqualTo(10);
    assertThat(spec.covariance()).isEqualTo(Covariance.DIAGONAL);
    assertThat(spec.restarts()).isEqualTo(3);
    assertThat(spec.maxIterations()).isEqualTo(100);
    assertThat(spec.tolerance()).isEqualTo(1e-4);
    assertThat(spec.covarianceFloor()).isEqualTo(1e-3);
    assertThat(spec.batchSize()).isEqualTo(4096);
    assertThat(Covariance.FULL.configName()).isEqualTo("full");
    assertThat(Covariance.parse("diagonal")).isEqualTo(Covariance.DIAGONAL);
  }

  @Test
  void specValidationNamesTheFieldAndWhatIsAccepted() {
    assertThatThrownBy(() -> new GaussianMixtureSpec(0, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("components must be at least 1, got 0");
    assertThatThrownBy(() -> new GaussianMixtureSpec(null, null, 0, null, null, null, null))
        .hasMessage("restarts must be at least 1, got 0");
    assertThatThrownBy(() -> new GaussianMixtureSpec(null, null, null, 0, null, null, null))
        .hasMessage("max_iterations must be at least 1, got 0");
    assertThatThrownBy(() -> new GaussianMixtureSpec(null, null, null, null, 0.0, null, null))
        .hasMessage("tolerance must be a positive finite number, got 0.0");
    assertThatThrownBy(() -> new GaussianMixtureSpec(null, null, null, null, null, 0.0, null))
        .hasMessage("covariance_floor must be a positive finite number, got 0.0");
    assertThatThrownBy(() -> new GaussianMixtureSpec(null, null, null, null, null, -1e-3, null))
        .hasMessageStartingWith("covariance_floor must be a positive");
    assertThatThrownBy(() -> new GaussianMixtureSpec(null, null, null, null, null, null, 0))
        .hasMessage("batch_size must be at least 1, got 0");
    assertThatThrownBy(() -> Covariance.parse("spherical"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("covariance must be diagonal or full, got 'spherical'");
  }

  // (g) ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void moreComponentsThanDistinctPointsStaysPositiveDefinite(Covariance covariance) {
    // 4 distinct points, each repeated 25 times, and 10 components
    float[][] distinct = {{0f, 0f}, {1f, 0f}, {0f, 1f}, {3f, 3f}};
    float[] values = new float[100 * 2];
    for (int i = 0; i < 100; i++) {
      values[2 * i] = distinct[i % 4][0];
      values[2 * i + 1] = distinct[i % 4][1];
    }
    Dataset data = new Dataset("repeated points", values, 100, 2, null, null);
    GaussianMixture gmm = new GaussianMixture(spec(10, covariance, 2, 50, 1e-6), 2);
    FitReport report = gmm.fit(data, manager, 17);
    assertThat(report.trainLogLikelihood()).isFinite();
    assertPositiveDefinite(gmm, 1e-3);
    assertThat(sum(gmm.weights())).isCloseTo(1, within(1e-9));
    try (NDManager m = manager.newSubManager()) {
      double[] logp = gmm.logLikelihood(m.create(values, new Shape(100, 2))).toDoubleArray();
      for (double v : logp) {
        assertThat(v).isFinite();
      }
      Engines.seed(1);
      assertThat(gmm.sample(10, m).getShape()).isEqualTo(new Shape(10, 2));
    }
  }

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void constantAndSingleItemDataDoNotCrash(Covariance covariance) {
    // a constant second dimension
    Random random = new Random(4);
    float[] values = new float[200 * 2];
    for (int i = 0; i < 200; i++) {
      values[2 * i] = (float) random.nextGaussian();
      values[2 * i + 1] = 0.5f;
    }
    GaussianMixture gmm = new GaussianMixture(spec(3, covariance, 1, 30, 1e-6), 2);
    assertThat(gmm.fit(new Dataset("constant pixel", values, 200, 2, null, null), manager, 2)
            .trainLogLikelihood())
        .isFinite();
    assertPositiveDefinite(gmm, 1e-3);
    assertThat(gmm.variances()[0][1]).isCloseTo(1e-3, within(1e-9));

    // one item, three components
    GaussianMixture single = new GaussianMixture(spec(3, covariance, 1, 10, 1e-6), 0);
    FitReport report =
        single.fit(new Dataset("one item", new float[] {1f, 2f}, 1, 2, null, null), manager, 2);
    assertThat(report.trainLogLikelihood()).isFinite();
    assertThat(single.dataDimension()).isEqualTo(2);
    assertPositiveDefinite(single, 1e-3);
  }

  static void assertPositiveDefinite(GaussianMixture gmm, double floor) {
    for (double[][] sigma : gmm.covariances()) {
      double[] eigen = new EigenDecomposition(new Array2DRowRealMatrix(sigma)).getRealEigenvalues();
      for (double e : eigen) {
        assertThat(e).isGreaterThanOrEqualTo(floor * (1 - 1e-9));
      }
    }
  }

  static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }

  // more -----------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void chunkingDoesNotChangeTheFit(Covariance covariance) {
    Dataset data = draw(1000, truth(covariance), 51);
    GaussianMixture whole = new GaussianMixture(spec(3, covariance, 1, 15, 1e-12), 2);
    GaussianMixture chunked =
        new GaussianMixture(new GaussianMixtureSpec(3, covariance, 1, 15, 1e-12, null, 37), 2);
    FitReport a = whole.fit(data, manager, 8);
    FitReport b = chunked.fit(data, manager, 8);
    assertThat(b.iterations()).isEqualTo(a.iterations());
    for (int i = 0; i < a.trace().size(); i++) {
      assertThat(b.trace().get(i)).isCloseTo(a.trace().get(i), within(1e-9));
    }
  }

  @Test
  void theSameSeedGivesTheSameFitAndTheBestRestartIsKept() {
    Dataset data = draw(1500, DIAGONAL_COVARIANCES, 61);
    GaussianMixture a = new GaussianMixture(spec(4, Covariance.DIAGONAL, 3, 40, 1e-8), 2);
    GaussianMixture b = new GaussianMixture(spec(4, Covariance.DIAGONAL, 3, 40, 1e-8), 2);
    FitReport ra = a.fit(data, manager, 99);
    FitReport rb = b.fit(data, manager, 99);
    assertThat(rb.trace()).isEqualTo(ra.trace());
    assertThat(b.means()).isDeepEqualTo(a.means());
    // restarts = 1 runs only the first of the three derived seeds, so keeping the best can only help
    GaussianMixture one = new GaussianMixture(spec(4, Covariance.DIAGONAL, 1, 40, 1e-8), 2);
    assertThat(one.fit(data, manager, 99).trainLogLikelihood())
        .isLessThanOrEqualTo(ra.trainLogLikelihood());
  }

  @Test
  void parameterCountAndBic() {
    GaussianMixture diagonal = new GaussianMixture(GaussianMixtureSpec.of(10, Covariance.DIAGONAL), 784);
    assertThat(diagonal.parameterCount()).isEqualTo(10L * (2 * 784 + 1) - 1);
    GaussianMixture fullGmm = new GaussianMixture(GaussianMixtureSpec.of(3, Covariance.FULL), 4);
    assertThat(fullGmm.parameterCount()).isEqualTo(3L * (4 + 10 + 1) - 1);
    assertThat(fullGmm.bic(-2.0, 100)).isCloseTo(400 + 44 * Math.log(100), within(1e-9));
    assertThatThrownBy(() -> new GaussianMixture(GaussianMixtureSpec.defaults(), 0).parameterCount())
        .isInstanceOf(IllegalStateException.class);

    Dataset data = draw(800, FULL_COVARIANCES, 71);
    GaussianMixture gmm = new GaussianMixture(spec(3, Covariance.FULL, 1, 50, 1e-6), 2);
    FitReport report = gmm.fit(data, manager, 4);
    assertThat(gmm.meanLogLikelihood(data)).isCloseTo(report.trainLogLikelihood(), within(1e-9));
    assertThat(gmm.bic(data))
        .isCloseTo(-2 * 800 * report.trainLogLikelihood() + 17 * Math.log(800), within(1e-6));
  }

  @Test
  void unfittedOrMismatchedUseFailsClearly() {
    GaussianMixture gmm = new GaussianMixture(GaussianMixtureSpec.of(2, Covariance.DIAGONAL), 3);
    assertThatThrownBy(() -> gmm.sample(1, manager))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not been fitted");
    assertThatThrownBy(() -> gmm.fit(draw(10, DIAGONAL_COVARIANCES, 1), manager, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 3, got 2");
  }
}
