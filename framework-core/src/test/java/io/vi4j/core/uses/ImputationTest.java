package io.vi4j.core.uses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.LinearGaussianModel;
import org.junit.jupiter.api.Test;

class ImputationTest {

  @Test
  void masksHideWhatTheySay() {
    boolean[] bottom = new Mask("bottom-half").missing(1, 4, 2, 0);
    assertThat(bottom).containsExactly(false, false, false, false, true, true, true, true);
    boolean[] centre = new Mask("center:2").missing(1, 4, 4, 0);
    assertThat(centre[5]).isTrue();
    assertThat(centre[0]).isFalse();
    boolean[] random = new Mask("random:0.5").missing(100, 10, 10, 3);
    int hidden = 0;
    for (boolean b : random) {
      hidden += b ? 1 : 0;
    }
    assertThat(hidden).isBetween(4700, 5300);
    assertThat(new Mask("random:0.5").missing(100, 10, 10, 3)).containsExactly(random);
    assertThatThrownBy(() -> new Mask("left-half")).hasMessageContaining("random:P (0 ≤ P ≤ 1), top-half");
    assertThatThrownBy(() -> new Mask("center:40").missing(1, 28, 28, 0)).hasMessageContaining("larger than");
  }

  @Test
  void bothSamplersKeepObservedValuesAndBeatTheMeanWhenTheModelIsTheTruth() {
    LinearGaussianModel truth = LinearGaussianModel.example();
    int n = 400;
    int d = truth.dataDimension();
    Dataset train = new Dataset("train", truth.sample(2000, 1), 2000, d, null, null);
    Dataset test = new Dataset("test", truth.sample(n, 2), n, d, null, null);
    boolean[] missing = new Mask("random:0.5").missing(n, 1, d, 5);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(truth.build(manager, true), manager)) {
      Engines.seed(7);
      float[] start = Imputation.meanImputation(test.values(), missing, train);
      float[] gibbs = Imputation.pseudoGibbs(model, test.values(), missing, start, n, 60);
      float[] mwg = Imputation.metropolisWithinGibbs(model, test.values(), missing, start, n, 60);
      for (int i = 0; i < missing.length; i++) {
        if (!missing[i]) {
          assertThat(gibbs[i]).isEqualTo(test.values()[i]);
          assertThat(mwg[i]).isEqualTo(test.values()[i]);
        }
      }
      double floor = Imputation.missingMse(start, test.values(), missing);
      assertThat(Imputation.missingMse(gibbs, test.values(), missing)).isLessThan(0.9 * floor);
      assertThat(Imputation.missingMse(mwg, test.values(), missing)).isLessThan(0.9 * floor);
    }
  }
}
