package io.vi4j.plugins.mixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A diagonal mixture imputes by responsibilities from the observed coordinates times component means. */
class GaussianMixtureImputationTest {

  @Test
  void conditionalMeanFollowsTheComponentTheObservedPartPicks() {
    // two well separated clusters in 3-D: (0,0,0) and (5,5,5)
    Random random = new Random(1);
    int n = 1000;
    float[] values = new float[n * 3];
    for (int i = 0; i < n; i++) {
      float centre = i % 2 == 0 ? 0f : 5f;
      for (int j = 0; j < 3; j++) {
        values[i * 3 + j] = centre + (float) (0.3 * random.nextGaussian());
      }
    }
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      GaussianMixture gmm = new GaussianMixture(new GaussianMixtureSpec(2, null, 2, null, null, null, null), 3);
      gmm.fit(new Dataset("two", values, n, 3, null, null), manager, 4);
      float[] observed = {4.8f, 5.2f, 0f, 0.1f, -0.2f, 0f};
      boolean[] missing = {false, false, true, false, false, true};
      float[] imputed = gmm.conditionalMean(observed, missing, 2);
      assertThat((double) imputed[2]).isCloseTo(5.0, within(0.1));
      assertThat((double) imputed[5]).isCloseTo(0.0, within(0.1));
      assertThat(imputed[0]).isEqualTo(4.8f);
    }
  }
}
