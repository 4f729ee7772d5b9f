package io.vi4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.run.AssembledModel;
import io.vi4j.core.testing.LinearGaussianModel;
import org.junit.jupiter.api.Test;

/** The evaluator against a conjugate model whose log-likelihood is known exactly. */
class EvaluatorTest {
  private static final LinearGaussianModel TRUTH = LinearGaussianModel.example();
  private static final int N = 300;

  private static Dataset data() {
    return new Dataset("linear-gaussian", TRUTH.sample(N, 3), N, TRUTH.dataDimension(), null, null);
  }

  private static double exactMeanLogLikelihood(Dataset data) {
    double sum = 0;
    for (int i = 0; i < data.rows(); i++) {
      float[] row = data.row(i);
      double[] x = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        x[j] = row[j];
      }
      sum += TRUTH.exactLogLikelihood(x);
    }
    return sum / data.rows();
  }

  @Test
  void withTheExactPosteriorTheElboAndEveryIwaeEstimateEqualTheLogLikelihood() {
    Dataset data = data();
    double exact = exactMeanLogLikelihood(data);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TRUTH.build(manager, true), manager)) {
      Engines.seed(1);
      // The ELBO's reconstruction term is a Monte-Carlo estimate (the KL is analytic), so it is averaged
      // over 2000 draws per item; the IWAE weights are constant for the exact posterior, so any k is exact.
      Evaluator evaluator = new Evaluator(new EvaluationSpec(5, 0, 2000, 1 << 20));
      assertThat(-evaluator.negativeElbo(model, data).negativeElbo()).isCloseTo(exact, within(0.01));
      LogLikelihoodReport ll = evaluator.logLikelihood(model, data);
      assertThat(ll.meanLogLikelihood()).isCloseTo(exact, within(1e-3));
      assertThat(ll.items()).isEqualTo(N);
    }
  }

  @Test
  void withAWrongPosteriorTheIwaeBoundRisesWithKTowardsTheTruthAndNeverPassesIt() {
    Dataset data = data();
    double exact = exactMeanLogLikelihood(data);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TRUTH.build(manager, false), manager)) {
      Engines.seed(2);
      // A tiny chunk budget forces the sample dimension to be split: the chunked path is what is tested.
      Evaluator evaluator = new Evaluator(new EvaluationSpec(1, 0, 1, 1024));
      double elbo = -evaluator.negativeElbo(model, data).negativeElbo();
      LogLikelihoodReport k1 = evaluator.logLikelihood(model, data, 1, N);
      LogLikelihoodReport k10 = evaluator.logLikelihood(model, data, 10, N);
      LogLikelihoodReport k1000 = evaluator.logLikelihood(model, data, 1000, N);
      assertThat(elbo).isLessThan(exact - 0.05);
      assertThat(k1.meanLogLikelihood()).isLessThan(k10.meanLogLikelihood());
      assertThat(k10.meanLogLikelihood()).isLessThan(k1000.meanLogLikelihood());
      assertThat(k1000.meanLogLikelihood()).isLessThan(exact + 0.01);
      assertThat(k1000.meanLogLikelihood()).isCloseTo(exact, within(0.02));
    }
  }
}
