package io.vi4j.core.uses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.LinearGaussianModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutlierScoresTest {

  @Test
  void aurocIsTheMannWhitneyProbabilityWithTiesCountingHalf() {
    double[] scores = {0.1, 0.4, 0.35, 0.8, 0.4};
    boolean[] outlier = {false, true, false, true, false};
    // pairs (outlier, inlier): (0.4,0.1)=1 (0.4,0.35)=1 (0.4,0.4)=.5 (0.8,*)=3 → 5.5 of 6
    assertThat(OutlierScores.auroc(scores, outlier)).isCloseTo(5.5 / 6, within(1e-12));
    assertThat(OutlierScores.auroc(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
  }

  @Test
  void auprcIsAveragePrecisionAndQuantilesInterpolate() {
    double[] scores = {0.9, 0.8, 0.7, 0.6};
    boolean[] outlier = {true, false, true, false};
    // ranked: hit at 1 (precision 1), hit at 3 (precision 2/3) → (1 + 2/3)/2
    assertThat(OutlierScores.auprc(scores, outlier)).isCloseTo((1 + 2.0 / 3) / 2, within(1e-12));
    assertThat(OutlierScores.quantile(new double[] {4, 1, 3, 2}, 0.5)).isCloseTo(2.5, within(1e-12));
    assertThat(OutlierScores.quantile(new double[] {4, 1, 3, 2}, 1.0)).isEqualTo(4.0);
  }

  @Test
  void withTheExactPosteriorTheScoresAreTheClosedForms() {
    LinearGaussianModel truth = LinearGaussianModel.example();
    Dataset data = new Dataset("lg", truth.sample(40, 2), 40, truth.dataDimension(), null, null);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(truth.build(manager, true), manager)) {
      Engines.seed(1);
      Map<String, double[]> scores = OutlierScores.score(model, data, 5, 4000, 0);
      for (int i = 0; i < 40; i++) {
        float[] row = data.row(i);
        double[] x = new double[row.length];
        for (int j = 0; j < row.length; j++) {
          x[j] = row[j];
        }
        double exact = truth.exactLogLikelihood(x);
        assertThat(scores.get("neg_log_likelihood")[i]).isCloseTo(-exact, within(1e-3));
        assertThat(scores.get("neg_elbo")[i]).isCloseTo(-exact, within(0.1));
        assertThat(scores.get("kl")[i]).isPositive();
      }
    }
  }
}
