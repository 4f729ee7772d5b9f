package io.vi4j.plugins.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.FitReport;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LeadingEigen} against the full decomposition ({@link Ppca#sortedEigen}, commons-math3) on
 * matrices of known spectrum, and PPCA's closed form through it against the closed form from the full
 * decomposition.
 */
class LeadingEigenTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** {@code Q diag(values) Qᵀ} with a seeded random orthogonal {@code Q}. */
  static double[][] withSpectrum(double[] values, long seed) {
    int d = values.length;
    Random random = new Random(seed);
    double[][] g = new double[d][d];
    for (double[] row : g) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
      }
    }
    RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g, false)).getQ();
    double[][] s = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double v = 0;
        for (int k = 0; k < d; k++) {
          v += q.getEntry(i, k) * values[k] * q.getEntry(j, k);
        }
        s[i][j] = v;
        s[j][i] = v;
      }
    }
    return s;
  }

  @Test
  void leadingPairsEqualTheFullDecompositionsIncludingATightCluster() {
    int d = 150;
    int q = 6;
    double[] values = new double[d];
    for (int k = 0; k < d; k++) {
      values[k] = 20 * Math.pow(0.93, k);
    }
    values[4] = values[5] * (1 + 1e-9); // λ_5 and λ_6 nearly equal, and λ_7 close behind
    double[][] s = withSpectrum(values, 3);
    LeadingEigen.Result got = LeadingEigen.compute(s, q, manager);
    assertThat(got).isNotNull();
    double[] all = new double[d];
    double[][] vectors = Ppca.sortedEigen(s, all);
    for (int k = 0; k < q; k++) {
      assertThat(got.values()[k]).as("eigenvalue %d", k).isCloseTo(all[k], within(1e-12 * all[0]));
      // the residual is small: S u = λ u
      double[] u = got.vectors()[k];
      double r = 0;
      for (int i = 0; i < d; i++) {
        double su = HostMatrices.dot(s[i], u);
        r += (su - got.values()[k] * u[i]) * (su - got.values()[k] * u[i]);
      }
      assertThat(Math.sqrt(r)).as("residual %d", k).isLessThanOrEqualTo(LeadingEigen.TOLERANCE * all[0] * 10);
      for (int l = 0; l < q; l++) {
        assertThat(HostMatrices.dot(u, got.vectors()[l])).as("u_%d · u_%d", k, l)
            .isCloseTo(k == l ? 1 : 0, within(1e-12));
      }
      if (k < 4) { // well separated: the same direction as the full decomposition's, up to sign
        double cos = 0;
        for (int i = 0; i < d; i++) {
          cos += u[i] * vectors[i][k];
        }
        assertThat(Math.abs(cos)).as("|cos| to eigenvector %d", k).isCloseTo(1, within(1e-9));
      }
    }
  }

  @Test
  void aMatrixOfLowRankEitherConvergesOrGivesUp() {
    int d = 120;
    double[] values = new double[d];
    for (int k = 0; k < 10; k++) {
      values[k] = 10 - k; // rank 10, below the block of 2q + 20 = 28
    }
    double[][] s = withSpectrum(values, 4);
    LeadingEigen.Result got = LeadingEigen.compute(s, 4, manager);
    if (got != null) {
      for (int k = 0; k < 4; k++) {
        assertThat(got.values()[k]).isCloseTo(10 - k, within(1e-10));
      }
    }
  }

  @Test
  void ppcaClosedFormThroughTheIterationEqualsTheFullDecompositionsFit() {
    int d = 100;
    int q = 5;
    int n = 3000;
    Random random = new Random(9);
    double[][] w = new double[d][q];
    for (double[] row : w) {
      for (int k = 0; k < q; k++) {
        row[k] = random.nextGaussian() * (1 + k);
      }
    }
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      double[] t = new double[q];
      for (int k = 0; k < q; k++) {
        t[k] = random.nextGaussian();
      }
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (float) (3 + HostMatrices.dot(w[j], t) + 0.5 * random.nextGaussian());
      }
    }
    Dataset data = new Dataset("ppca draws", v, n, d, null, null);
    assertThat(2 * LeadingEigen.blockSize(d, q)).isLessThanOrEqualTo(d); // the iteration's path
    Ppca p = new Ppca(new PpcaSpec(q, null, null, null, null));
    FitReport report = p.fit(data, manager, 0);

    // The closed form from the full decomposition, on the host.
    double[] mu = new double[d];
    double[][] s = PpcaTestData.hostCovariance(data, mu);
    double[] eig = new double[d];
    double[][] u = Ppca.sortedEigen(s, eig);
    double discarded = 0;
    for (int i = q; i < d; i++) {
      discarded += eig[i];
    }
    double sigma2 = discarded / (d - q);
    double[][] expectedW = new double[d][q];
    for (int k = 0; k < q; k++) {
      for (int i = 0; i < d; i++) {
        expectedW[i][k] = u[i][k] * Math.sqrt(eig[k] - sigma2);
      }
    }
    double expected = Ppca.meanLogLikelihood(s, expectedW, sigma2, HostMatrices.times(s, expectedW));
    assertThat(p.noiseVariance()).isCloseTo(sigma2, within(1e-10 * sigma2));
    assertThat(report.trainLogLikelihood()).isCloseTo(expected, within(1e-10 * Math.abs(expected)));
    assertThat(p.eigenvalues()[q - 1]).isCloseTo(eig[q - 1], within(1e-10 * eig[0])); // computed on demand
    double[][] gram = HostMatrices.transposeTimes(p.weight(), p.weight());
    for (int k = 0; k < q; k++) {
      for (int l = 0; l < q; l++) {
        assertThat(gram[k][l]).isCloseTo(k == l ? eig[k] - sigma2 : 0, within(1e-9 * eig[0]));
      }
    }
  }
}
