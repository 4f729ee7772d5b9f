package io.vi4j.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.diagnostics.AmortizationGap.Report;
import io.vi4j.core.diagnostics.AmortizationGap.Start;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.LinearGaussianModel;
import org.junit.jupiter.api.Test;

/**
 * On the conjugate linear-Gaussian model the diagonal family contains the exact posterior, so refining
 * per-item parameters closes the whole gap: the refined ELBO reaches {@code log p(x)}.
 */
class AmortizationGapTest {
  private static final LinearGaussianModel TRUTH = LinearGaussianModel.example();

  private static double exact(Dataset data, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float[] row = data.row(i);
      double[] x = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        x[j] = row[j];
      }
      sum += TRUTH.exactLogLikelihood(x);
    }
    return sum / n;
  }

  @Test
  void refiningAWrongEncoderClosesTheGapToTheExactLogLikelihood() {
    Dataset data = new Dataset("lg", TRUTH.sample(30, 4), 30, TRUTH.dataDimension(), null, null);
    double exact = exact(data, 30);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TRUTH.build(manager, false), manager)) {
      Engines.seed(6);
      int before = manager.getManagedArrays().size();
      Report fromEncoder = AmortizationGap.measure(model, data, 30, 300, 8, 0.05, 2000, Start.ENCODER);
      assertThat(fromEncoder.amortizedElbo()).isLessThan(exact - 0.05);
      assertThat(fromEncoder.gap()).isPositive();
      assertThat(fromEncoder.refinedElbo()).isCloseTo(exact, within(0.01));
      assertThat(fromEncoder.refinedIwae()).isCloseTo(exact, within(0.01));
      Report fromPrior = AmortizationGap.measure(model, data, 30, 400, 8, 0.05, 2000, Start.PRIOR);
      assertThat(fromPrior.refinedElbo()).isCloseTo(exact, within(0.02));
      assertThat(manager.getManagedArrays()).hasSize(before);
    }
  }
}
