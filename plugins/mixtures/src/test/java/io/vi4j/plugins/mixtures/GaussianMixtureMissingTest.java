package io.vi4j.plugins.mixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.FitReport;
import io.vi4j.core.engine.Engines;
import io.vi4j.plugins.mixtures.GaussianMixtureSpec.Covariance;
import io.vi4j.core.testing.IncompleteRowsData;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * EM with missing values (Ghahramani &amp; Jordan 1994): a Gaussian mixture fitted to training data with
 * 25% of the cells missing completely at random recovers the generating mixture, its observed-data
 * log-likelihood never falls, its densities of incomplete rows are the exact marginals, and its
 * conditional means beat column means.
 */
class GaussianMixtureMissingTest {

  static final double[] WEIGHTS = {0.4, 0.6};
  static final double[][] MEANS = {{-2, 0, 1}, {2, 1, -1}};
  static final double[][][] COVARIANCES = {
    {{1.0, 0.6, 0.3}, {0.6, 1.0, 0.5}, {0.3, 0.5, 1.0}},
    {{1.0, -0.5, 0.0}, {-0.5, 1.5, 0.4}, {0.0, 0.4, 0.8}},
  };
  static final int N = 4000;
  static final int D = 3;
  static final double MISSING = 0.25;

  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Draws {@code n} items of the mixture. */
  static float[] draw(int n, long seed) {
    Random random = new Random(seed);
    double[][][] lower = new double[2][][];
    for (int c = 0; c < 2; c++) {
      lower[c] = new CholeskyDecomposition(new Array2DRowRealMatrix(COVARIANCES[c])).getL().getData();
    }
    float[] out = new float[n * D];
    for (int i = 0; i < n; i++) {
      int c = random.nextDouble() < WEIGHTS[0] ? 0 : 1;
      double[] e = new double[D];
      for (int j = 0; j < D; j++) {
        e[j] = random.nextGaussian();
      }
      for (int j = 0; j < D; j++) {
        double v = MEANS[c][j];
        for (int t = 0; t <= j; t++) {
          v += lower[c][j][t] * e[t];
        }
        out[i * D + j] = (float) v;
      }
    }
    return out;
  }

  /** Sum of absolute errors of the weights, means and (the covariance form's) covariances, components matched by the sign of the first mean. */
  static double error(GaussianMixture gmm, boolean full) {
    double[][] mu = gmm.means();
    int first = mu[0][0] < mu[1][0] ? 0 : 1;
    double[][][] cov = gmm.covariances();
    double err = 0;
    for (int c = 0; c < 2; c++) {
      int k = c == 0 ? first : 1 - first;
      err += Math.abs(gmm.weights()[k] - WEIGHTS[c]);
      for (int a = 0; a < D; a++) {
        err += Math.abs(mu[k][a] - MEANS[c][a]);
        for (int b = 0; b < D; b++) {
          if (full || a == b) {
            err += Math.abs(cov[k][a][b] - COVARIANCES[c][a][b]);
          }
        }
      }
    }
    return err;
  }

  static GaussianMixtureSpec spec(Covariance covariance) {
    return new GaussianMixtureSpec(2, covariance, 2, 300, 1e-8, null, null);
  }

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void emWithMissingValuesRecoversTheGeneratingMixtureBetterThanMeanFilling(Covariance covariance) {
    boolean full = covariance == Covariance.FULL;
    float[] complete = draw(N, 11);
    float[] incomplete = IncompleteRowsData.hide(complete, D, MISSING, 12);
    GaussianMixture em = new GaussianMixture(spec(covariance), D);
    FitReport report = em.fit(new Dataset("incomplete", incomplete, N, D, null, null), manager, 5);
    GaussianMixture filled = new GaussianMixture(spec(covariance), D);
    filled.fit(new Dataset("mean-filled", IncompleteRowsData.meanFilled(incomplete, D), N, D, null, null), manager, 5);

    double[][] mu = em.means();
    int first = mu[0][0] < mu[1][0] ? 0 : 1;
    double[][][] cov = em.covariances();
    // Tolerances: a few standard errors at N = 4000 with a quarter of the cells hidden.
    for (int c = 0; c < 2; c++) {
      int k = c == 0 ? first : 1 - first;
      assertThat(em.weights()[k]).isCloseTo(WEIGHTS[c], within(0.03));
      for (int a = 0; a < D; a++) {
        assertThat(mu[k][a]).as("mean %d,%d", c, a).isCloseTo(MEANS[c][a], within(0.1));
        if (full) {
          for (int b = 0; b < D; b++) {
            assertThat(cov[k][a][b]).as("cov %d,%d,%d", c, a, b).isCloseTo(COVARIANCES[c][a][b], within(0.15));
          }
        } else {
          // A diagonal mixture of correlated components: only the means and weights have a known target;
          // its variances are at least the components' (within-component correlation spills into them).
          assertThat(cov[k][a][a]).isGreaterThan(0.5 * COVARIANCES[c][a][a]);
        }
      }
    }
    assertThat(error(em, full)).isLessThan(error(filled, full));
    assertThat(report.trace()).isNotEmpty();
    assertThat(report.trainLogLikelihood()).isEqualTo(report.trace().get(report.trace().size() - 1));
  }

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void observedDataLogLikelihoodNeverFallsAndIsWhatTheDensityGives(Covariance covariance) {
    float[] incomplete = IncompleteRowsData.hide(draw(1500, 21), D, 0.3, 22);
    GaussianMixture gmm = new GaussianMixture(new GaussianMixtureSpec(3, covariance, 2, 200, 1e-10, null, null), D);
    Dataset train = new Dataset("incomplete", incomplete, 1500, D, null, null);
    FitReport report = gmm.fit(train, manager, 7);
    List<Double> trace = report.trace();
    assertThat(trace.size()).isGreaterThan(2);
    for (int i = 1; i < trace.size(); i++) {
      assertThat(trace.get(i)).as("iteration %d", i + 1).isGreaterThanOrEqualTo(trace.get(i - 1) - 1e-10);
    }
    // The reported figure is the mean observed-data log-likelihood the density gives.
    assertThat(gmm.meanLogLikelihood(train)).isCloseTo(report.trainLogLikelihood(), within(1e-6));
  }

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void marginalDensityOfAnIncompleteRowIsTheClosedFormGaussianMarginal(Covariance covariance) {
    GaussianMixture gmm = new GaussianMixture(new GaussianMixtureSpec(2, covariance, 1, 50, null, null, null), D);
    gmm.fit(new Dataset("complete", draw(800, 31), 800, D, null, null), manager, 3);
    float nan = Float.NaN;
    float[] rows = {
      -1.5f, nan, 0.7f, // x_1 missing
      nan, nan, -0.4f, // only x_2
      1.0f, 0.5f, -0.8f, // complete
      nan, 2.0f, nan, // only x_1
      nan, nan, nan, // nothing observed: log p = 0
    };
    int items = rows.length / D;
    double[] got;
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(rows, new Shape(items, D));
      NDArray ll = gmm.logLikelihood(x);
      assertThat(ll.getDataType()).isEqualTo(DataType.FLOAT64);
      got = ll.toDoubleArray();
    }
    double[] w = gmm.weights();
    double[][] mu = gmm.means();
    double[][][] cov = gmm.covariances();
    for (int i = 0; i < items; i++) {
      int[] obs = new int[0];
      for (int j = 0; j < D; j++) {
        if (!Float.isNaN(rows[i * D + j])) {
          obs = Arrays.copyOf(obs, obs.length + 1);
          obs[obs.length - 1] = j;
        }
      }
      double expected;
      if (obs.length == 0) {
        expected = 0;
      } else {
        double p = 0;
        for (int c = 0; c < w.length; c++) {
          double[] m = new double[obs.length];
          double[][] s = new double[obs.length][obs.length];
          double[] xo = new double[obs.length];
          for (int a = 0; a < obs.length; a++) {
            m[a] = mu[c][obs[a]];
            xo[a] = rows[i * D + obs[a]];
            for (int b = 0; b < obs.length; b++) {
              s[a][b] = cov[c][obs[a]][obs[b]];
            }
          }
          p += w[c] * new MultivariateNormalDistribution(m, s).density(xo);
        }
        expected = Math.log(p);
      }
      assertThat(got[i]).as("row %d", i).isCloseTo(expected, within(1e-9));
    }
    // A batch without NaN still takes the device path and agrees with the host marginal of a complete row.
    try (NDManager scope = manager.newSubManager()) {
      double complete = gmm.logLikelihood(scope.create(Arrays.copyOfRange(rows, 6, 9), new Shape(1, D)))
          .toDoubleArray()[0];
      assertThat(complete).isCloseTo(got[2], within(1e-9));
    }
  }

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void conditionalMeansOfHiddenCellsBeatColumnMeans(Covariance covariance) {
    float[] complete = draw(N, 41);
    float[] incomplete = IncompleteRowsData.hide(complete, D, MISSING, 42);
    GaussianMixture gmm = new GaussianMixture(spec(covariance), D);
    gmm.fit(new Dataset("incomplete", incomplete, N, D, null, null), manager, 9);

    // Held-out rows with hidden cells; NaN at the hidden positions and the mask agree.
    int m = 1000;
    float[] truth = draw(m, 43);
    float[] test = IncompleteRowsData.hide(truth, D, 0.3, 44);
    boolean[] mask = new boolean[test.length];
    for (int i = 0; i < test.length; i++) {
      mask[i] = Float.isNaN(test[i]);
    }
    float[] imputed = gmm.conditionalMean(test, mask, m);
    // NaN alone marks a cell missing too.
    assertThat(gmm.conditionalMean(test, new boolean[test.length], m)).containsExactly(imputed);
    double[] means = new double[D];
    for (int j = 0; j < D; j++) {
      double sum = 0;
      int count = 0;
      for (int i = 0; i < N; i++) {
        if (!Float.isNaN(incomplete[i * D + j])) {
          sum += incomplete[i * D + j];
          count++;
        }
      }
      means[j] = sum / count;
    }
    double byModel = 0;
    double byMean = 0;
    int hidden = 0;
    for (int i = 0; i < test.length; i++) {
      if (mask[i]) {
        hidden++;
        byModel += Math.pow(imputed[i] - truth[i], 2);
        byMean += Math.pow(means[i % D] - truth[i], 2);
      } else {
        assertThat(imputed[i]).isEqualTo(test[i]);
      }
    }
    double rmseModel = Math.sqrt(byModel / hidden);
    double rmseMean = Math.sqrt(byMean / hidden);
    // Full covariances use the within-component correlation as well as the component; a diagonal mixture
    // only the component the observed cells pick.
    assertThat(rmseModel).isLessThan((covariance == Covariance.FULL ? 0.8 : 0.9) * rmseMean);
  }

  @ParameterizedTest
  @EnumSource(Covariance.class)
  void theIncompleteEStepOnCompleteRowsIsTheDeviceEStep(Covariance covariance) {
    // With nothing missing the host E-step of the new path gives the figures of the old device one.
    float[] values = draw(600, 51);
    GaussianMixture gmm = new GaussianMixture(new GaussianMixtureSpec(2, covariance, 1, 20, null, null, null), D);
    gmm.fit(new Dataset("complete", values, 600, D, null, null), manager, 1);
    MixtureParameters p = new MixtureParameters(
        gmm.weights(),
        shiftedMeans(gmm.means(), new double[] {0.1, -0.2, 0.3}),
        covariance == Covariance.FULL ? null : gmm.variances(),
        covariance == Covariance.FULL ? gmm.covariances() : null,
        new double[] {0.1, -0.2, 0.3},
        1e-3);
    double[] shifted = IncompleteRows.shift(values, p.shift);
    SufficientStatistics host = new IncompleteRows(shifted, 600, D).expectation(p);
    SufficientStatistics device;
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(shifted, new Shape(600, D));
      device = SufficientStatistics.expectation(x, 600, p, 128, scope);
    }
    assertClose(host.counts(), device.counts());
    assertClose(host.sums(), device.sums());
    assertClose(host.squares(), device.squares());
    assertThat(host.logLikelihood()).isCloseTo(device.logLikelihood(), within(1e-8 * Math.abs(device.logLikelihood())));
  }

  @Test
  void aCompleteFitIsTheSameWhateverTheNewPath() {
    // hasMissing() is false: the device path runs, repeatably, exactly as before (the pinned figures of
    // GaussianMixturePinnedFitTest hold it to the old numbers).
    float[] values = draw(500, 61);
    GaussianMixture a = new GaussianMixture(spec(Covariance.FULL), D);
    GaussianMixture b = new GaussianMixture(spec(Covariance.FULL), D);
    FitReport ra = a.fit(new Dataset("a", values, 500, D, null, null), manager, 3);
    FitReport rb = b.fit(new Dataset("b", values.clone(), 500, D, null, null), manager, 3);
    assertThat(ra.trace()).isEqualTo(rb.trace());
    assertThat(a.covariances()).isDeepEqualTo(b.covariances());
  }

  @Test
  void refusesARowWithNothingObservedAndAColumnWithNoValue() {
    float nan = Float.NaN;
    float[] emptyRow = {1f, 2f, 3f, nan, nan, nan, 0f, 1f, 2f};
    GaussianMixture gmm = new GaussianMixture(GaussianMixtureSpec.of(1, Covariance.DIAGONAL), 3);
    assertThatThrownBy(() -> gmm.fit(new Dataset("t", emptyRow, 3, 3, null, null), manager, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 1 has every cell missing");
    float[] emptyColumn = {1f, nan, 3f, 2f, nan, 1f, 0f, nan, 2f};
    assertThatThrownBy(() -> gmm.fit(new Dataset("t", emptyColumn, 3, 3, null, null), manager, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 1 has no observed value");
  }

  private static double[][] shiftedMeans(double[][] means, double[] shift) {
    double[][] out = new double[means.length][];
    for (int c = 0; c < means.length; c++) {
      out[c] = new double[means[c].length];
      for (int j = 0; j < shift.length; j++) {
        out[c][j] = means[c][j] - shift[j];
      }
    }
    return out;
  }

  private static void assertClose(double[] got, double[] expected) {
    assertThat(got).hasSameSizeAs(expected);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).as("entry %d", i).isCloseTo(expected[i], within(1e-8 * (1 + Math.abs(expected[i]))));
    }
  }
}
