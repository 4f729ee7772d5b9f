package io.vi4j.plugins.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample moments of the PPCA fit ({@link Ppca#sampleMoments}) over several host blocks, the last one
 * partial, against the two-pass host computation in double.
 */
class PpcaMomentsTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void momentsOverSeveralBlocksEqualTheHostTwoPassFigures() {
    int d = 600;
    int block = (int) (Ppca.BLOCK_ELEMENTS / d);
    int n = 2 * block + 123;
    Random random = new Random(11);
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      double common = random.nextGaussian();
      for (int j = 0; j < d; j++) {
        // an offset far from 0 and correlated coordinates: centring must be done right to pass
        v[i * d + j] = (float) (50 + (j % 7) + 0.3 * common * (j % 5) + 0.1 * random.nextGaussian());
      }
    }
    Dataset data = new Dataset("blocks", v, n, d, null, null);
    double[] mean = new double[d];
    double[][] s = Ppca.sampleMoments(data, manager, mean);
    double[] expectedMean = new double[d];
    double[][] expected = PpcaTestData.hostCovariance(data, expectedMean);
    double scale = 0;
    for (int j = 0; j < d; j++) {
      scale = Math.max(scale, expected[j][j]);
    }
    for (int i = 0; i < d; i++) {
      assertThat(mean[i]).as("mean %d", i).isCloseTo(expectedMean[i], within(1e-12 * 60));
      for (int j = 0; j < d; j++) {
        assertThat(s[i][j]).as("S[%d][%d]", i, j).isCloseTo(expected[i][j], within(1e-11 * scale));
        assertThat(s[i][j]).as("symmetry at %d, %d", i, j).isEqualTo(s[j][i]);
      }
    }
  }
}
