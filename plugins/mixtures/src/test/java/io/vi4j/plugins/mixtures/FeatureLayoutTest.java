package io.vi4j.plugins.mixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diagonal fit's feature layout {@code [x | x²]} and its passes against the plain items and the plain
 * passes they replace, on generated data: the layout holds exactly the values the plain path computes,
 * and each pass gives the same counts, sums, squares and log-likelihood up to the order of rounding.
 */
class FeatureLayoutTest {

  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** {@code n × d} values around per-coordinate offsets, seeded. */
  static float[] values(int n, int d, long seed) {
    Random random = new Random(seed);
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      int cluster = random.nextInt(3);
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (float) (10 + cluster * (j % 4 - 1.5) + (0.2 + 0.1 * (j % 3)) * random.nextGaussian());
      }
    }
    return v;
  }

  static double[] mean(float[] v, int n, int d) {
    double[] shift = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        shift[j] += v[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      shift[j] /= n;
    }
    return shift;
  }

  /** Parameters with distinct weights, means and variances, in shifted coordinates. */
  static MixtureParameters params(int k, int d, double[] shift, long seed) {
    Random random = new Random(seed);
    double[] weights = new double[k];
    double total = 0;
    double[][] means = new double[k][d];
    double[][] variances = new double[k][d];
    for (int c = 0; c < k; c++) {
      weights[c] = 0.5 + random.nextDouble();
      total += weights[c];
      for (int j = 0; j < d; j++) {
        means[c][j] = random.nextGaussian();
        variances[c][j] = 0.05 + random.nextDouble();
      }
    }
    for (int c = 0; c < k; c++) {
      weights[c] /= total;
    }
    return new MixtureParameters(weights, means, variances, null, shift, 1e-3);
  }

  static void assertClose(String what, double[] got, double[] expected) {
    assertThat(got).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(got[i] - expected[i]))
          .as("%s[%d]: %s, plain pass %s", what, i, got[i], expected[i])
          .isLessThanOrEqualTo(1e-11 * Math.max(1, Math.abs(expected[i])));
    }
  }

  @Test
  void featuresHoldTheShiftedItemsAndTheirSquaresExactly() {
    int n = 2000; // more rows than one host block at d = 300 (873), and not a multiple of it
    int d = 300;
    float[] v = values(n, d, 1);
    double[] shift = mean(v, n, d);
    try (NDManager m = manager.newSubManager()) {
      NDArray features = LogDensityTerms.features(v, n, d, shift, m);
      NDArray x = LogDensityTerms.centred(m.create(v, new Shape(n, d)), m.create(shift));
      NDArray expected = NDArrays.concat(new NDList(x, x.square()), 1);
      assertThat(features.getShape()).isEqualTo(new Shape(n, 2L * d));
      assertThat(features.toDoubleArray()).isEqualTo(expected.toDoubleArray());
    }
  }

  @Test
  void theDiagonalExpectationEqualsThePlainOne() {
    int n = 1000;
    int d = 7;
    int k = 4;
    float[] v = values(n, d, 2);
    double[] shift = mean(v, n, d);
    MixtureParameters p = params(k, d, shift, 3);
    try (NDManager m = manager.newSubManager()) {
      NDArray x = LogDensityTerms.centred(m.create(v, new Shape(n, d)), m.create(shift));
      NDArray features = LogDensityTerms.features(v, n, d, shift, m);
      for (int chunk : new int[] {1, 333, 1000, 4096}) {
        SufficientStatistics plain = SufficientStatistics.expectation(x, n, p, chunk, m);
        SufficientStatistics fused = SufficientStatistics.diagonalExpectation(features, n, p, chunk, m);
        assertClose("counts, chunk " + chunk, fused.counts(), plain.counts());
        assertClose("sums, chunk " + chunk, fused.sums(), plain.sums());
        assertClose("squares, chunk " + chunk, fused.squares(), plain.squares());
        assertClose(
            "log-likelihood, chunk " + chunk,
            new double[] {fused.logLikelihood()},
            new double[] {plain.logLikelihood()});
        assertThat(plain.logLikelihood()).isFinite();
      }
    }
  }

  @Test
  void theDiagonalAssignmentEqualsThePlainOne() {
    int n = 1000;
    int d = 7;
    float[] v = values(n, d, 4);
    double[] shift = mean(v, n, d);
    double[][] centres = new double[3][];
    for (int c = 0; c < 3; c++) {
      centres[c] = new double[d];
      for (int j = 0; j < d; j++) {
        centres[c][j] = v[(100 * c + 7) * d + j] - shift[j];
      }
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray x = LogDensityTerms.centred(m.create(v, new Shape(n, d)), m.create(shift));
      NDArray features = LogDensityTerms.features(v, n, d, shift, m);
      LogDensityTerms nearest = LogDensityTerms.nearestCentre(centres, m);
      SufficientStatistics plain = SufficientStatistics.assignment(x, n, nearest, false, 256, m);
      SufficientStatistics fused = SufficientStatistics.diagonalAssignment(features, n, nearest, 256, m);
      assertThat(fused.counts()).isEqualTo(plain.counts());
      assertThat(fused.counts()[0] + fused.counts()[1] + fused.counts()[2]).isEqualTo(n);
      assertClose("sums", fused.sums(), plain.sums());
      assertClose("squares", fused.squares(), plain.squares());
      assertThat(fused.logLikelihood()).isNaN();
    }
  }

  @Test
  void onlyDiagonalTermsScoreFeatures() {
    try (NDManager m = manager.newSubManager()) {
      LogDensityTerms nearest = LogDensityTerms.nearestCentre(new double[][] {{0, 0}, {1, 1}}, m);
      NDArray features = m.zeros(new Shape(3, 4), ai.djl.ndarray.types.DataType.FLOAT64);
      assertThatThrownBy(() -> nearest.logJointOfFeatures(features))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("diagonal");
    }
  }
}
