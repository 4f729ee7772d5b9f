package io.vi4j.plugins.mixtures;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.api.Test;

/**
 * Pins the host linear algebra of full covariances on 5 × 5 cases: the eigenvalue floor of an indefinite
 * symmetric matrix, and the Cholesky factor of a positive definite one and its inverse. The expected
 * values were recorded from the single-file implementation (commit d6ed353) before its hand-written loops
 * were replaced by commons-math3; they must agree to {@value GaussianMixturePinnedFitTest#RELATIVE}
 * relative (absolute below 1).
 */
class CovarianceAlgebraPinnedTest {

  /** {@code B Bᵀ − shift·I} for a seeded {@code 5 × 5} Gaussian {@code B}: symmetric, exactly. */
  static double[][] symmetric(long seed, double shift) {
    Random random = new Random(seed);
    double[][] b = new double[5][5];
    for (double[] row : b) {
      for (int j = 0; j < 5; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[][] s = new double[5][5];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j <= i; j++) {
        double v = 0;
        for (int e = 0; e < 5; e++) {
          v += b[i][e] * b[j][e];
        }
        s[i][j] = v - (i == j ? shift : 0);
        s[j][i] = s[i][j];
      }
    }
    return s;
  }

  static double[] flat(double[][] a) {
    double[] out = new double[a.length * a.length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a.length, a.length);
    }
    return out;
  }

  @Test
  void eigenvalueFloorOfAnIndefiniteMatrix() {
    double[][] s = symmetric(5, 1.5);
    GaussianMixturePinnedFitTest.close("floored", flat(Covariances.floorEigenvalues(s, 0.05)), FLOORED);
  }

  @Test
  void choleskyFactorAndItsInverse() {
    double[][] s = symmetric(6, -0.2);
    double[][] l = Covariances.cholesky(s, 1e-3);
    GaussianMixturePinnedFitTest.close("L", flat(l), LOWER);
    GaussianMixturePinnedFitTest.close("L⁻¹", flat(Covariances.invertLower(l)), INVERSE_LOWER);
  }

  @Test
  void theSvdFallbackGivesTheSameFlooredMatrix() {
    // the route taken when commons-math3's eigendecomposition does not converge
    double[][] s = symmetric(5, 1.5);
    double[][] floored = Covariances.Spectrum.bySvd(new Array2DRowRealMatrix(s)).floored(0.05);
    GaussianMixturePinnedFitTest.close("floored by SVD", flat(floored), FLOORED);
  }

  @Test
  void aSingularCovarianceIsFactoredWithJitter() {
    double[][] singular = {{1, 1}, {1, 1}};
    double[][] l = Covariances.cholesky(singular, 1e-3);
    // the first jitter, 1e-3, suffices: L Lᵀ = Σ + 1e-3·I
    assertThat(l[0][0] * l[0][0]).isCloseTo(1.001, within(1e-12));
    assertThat(l[1][0] * l[0][0]).isCloseTo(1, within(1e-12));
    assertThat(l[1][0] * l[1][0] + l[1][1] * l[1][1]).isCloseTo(1.001, within(1e-12));
    assertThat(l[0][1]).isZero();
  }

  // Recorded values, row-major 5 × 5. The floored matrix's input has eigenvalues 11.80, 5.84, 2.82,
  // −0.17 and −0.93, so two are raised to the floor.

  static final double[] FLOORED = {
    9.141786497432788, -0.9733428557242606, 1.4458799704999843, 1.1919859602193643, 3.7134232679540067,
    -0.9733428557242606, 3.7179087418441954, 2.60307832728645, -0.06149603899732328, 0.015603243396873743,
    1.4458799704999843, 2.60307832728645, 2.4388784472863785, 0.20064700379701525, 1.1986104607120354,
    1.1919859602193643, -0.06149603899732328, 0.20064700379701525, 0.27258293325404975, 0.026351286491747245,
    3.7134232679540067, 0.015603243396873743, 1.1986104607120354, 0.026351286491747245, 4.982425209878727
  };

  static final double[] LOWER = {
    2.1412186420509967, 0.0, 0.0, 0.0, 0.0,
    -0.49038812468142173, 3.226092612277809, 0.0, 0.0, 0.0,
    0.6839734809875353, -0.060244042911047305, 2.1218348355205543, 0.0, 0.0,
    0.5154157192961848, -0.5791369175201079, -0.012274151764096918, 2.3992905167633314, 0.0,
    -0.5723822195428823, -0.36067507121316544, 1.6160088470733731, 0.7362089587957659, 1.6709920432470458
  };

  static final double[] INVERSE_LOWER = {
    0.4670237687834325, 0.0, 0.0, 0.0, 0.0,
    0.07099080456765124, 0.3099725023994094, 0.0, 0.0, 0.0,
    -0.148529515345025, 0.008800871973248286, 0.4712902169667074, 0.0, 0.0,
    -0.08395026295975937, 0.07486569114446369, 0.0024109992548076824, 0.41678987726297134, 0.0,
    0.35592668665618904, 0.02541021966615808, -0.45684487995823836, -0.183630103336777, 0.5984468950892283
  };
}
