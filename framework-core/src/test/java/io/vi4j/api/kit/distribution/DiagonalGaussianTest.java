package io.vi4j.api.kit.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vi4j.core.engine.Engines;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class DiagonalGaussianTest {
  private static final float[] MEAN = {0.3f, -1.2f, 2.0f};
  private static final float[] LOG_VAR = {-0.5f, 0.4f, 1.1f};

  @Test
  void logProbIsTheSumOfUnivariateNormalLogDensities() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      DiagonalGaussian q = new DiagonalGaussian(m.create(MEAN).reshape(1, 3), m.create(LOG_VAR).reshape(1, 3));
      float[] x = {0.1f, 0.0f, -1.0f};
      double expected = 0;
      for (int i = 0; i < 3; i++) {
        expected += new NormalDistribution(MEAN[i], Math.exp(LOG_VAR[i] / 2)).logDensity(x[i]);
      }
      assertThat((double) q.logProb(m.create(x).reshape(1, 3)).getFloat(0)).isCloseTo(expected, within(1e-4));
    }
  }

  @Test
  void analyticKlsAgreeWithEachOtherAndWithMonteCarlo() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(7);
      DiagonalGaussian q = new DiagonalGaussian(m.create(MEAN).reshape(1, 3), m.create(LOG_VAR).reshape(1, 3));
      StandardNormal p = new StandardNormal(m, 1, 3);
      DiagonalGaussian pAsGaussian = new DiagonalGaussian(m.zeros(new ai.djl.ndarray.types.Shape(1, 3)),
          m.zeros(new ai.djl.ndarray.types.Shape(1, 3)));
      double closed = q.analyticKl(p).orElseThrow().getFloat(0);
      double general = q.analyticKl(pAsGaussian).orElseThrow().getFloat(0);
      double expected = 0;
      for (int i = 0; i < 3; i++) {
        expected += -0.5 * (1 + LOG_VAR[i] - MEAN[i] * MEAN[i] - Math.exp(LOG_VAR[i]));
      }
      assertThat(closed).isCloseTo(expected, within(1e-5));
      assertThat(general).isCloseTo(expected, within(1e-5));
      int k = 200_000;
      NDArray t = q.sample(k);
      NDArray diff = q.logProb(t).sub(p.logProb(t));
      double mc = diff.mean().getFloat();
      double sd = Math.sqrt(diff.sub(mc).square().mean().getFloat() / k);
      assertThat(mc).isCloseTo(expected, within(4 * sd));
    }
  }

  @Test
  void klGradientMatchesTheAnalyticGradient() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      NDArray mean = m.create(MEAN).reshape(1, 3);
      NDArray logVar = m.create(LOG_VAR).reshape(1, 3);
      mean.setRequiresGradient(true);
      logVar.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray kl = new DiagonalGaussian(mean, logVar).analyticKl(new StandardNormal(m, 1, 3)).orElseThrow();
        gc.backward(kl.sum());
      }
      float[] dMean = mean.getGradient().toFloatArray();
      float[] dLogVar = logVar.getGradient().toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertThat((double) dMean[i]).isCloseTo(MEAN[i], within(1e-5));
        assertThat((double) dLogVar[i]).isCloseTo(0.5 * (Math.exp(LOG_VAR[i]) - 1), within(1e-5));
      }
    }
  }

  @Test
  void rsampleHasTheRightMomentsAndCarriesGradientToTheMean() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(11);
      NDArray mean = m.create(MEAN).reshape(1, 3);
      mean.setRequiresGradient(true);
      DiagonalGaussian q = new DiagonalGaussian(mean, m.create(LOG_VAR).reshape(1, 3));
      int k = 100_000;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray t = q.rsample(k);
        assertThat(t.getShape().getShape()).containsExactly(k, 1, 3);
        NDArray flat = t.reshape(k, 3);
        float[] sampleMean = flat.mean(new int[] {0}).toFloatArray();
        float[] sampleVar = flat.sub(flat.mean(new int[] {0})).square().mean(new int[] {0}).toFloatArray();
        for (int i = 0; i < 3; i++) {
          double sd = Math.exp(LOG_VAR[i] / 2);
          assertThat((double) sampleMean[i]).isCloseTo(MEAN[i], within(4 * sd / Math.sqrt(k)));
          assertThat((double) sampleVar[i]).isCloseTo(sd * sd, within(0.03 * sd * sd));
        }
        gc.backward(t.sum());
      }
      assertThat(mean.getGradient().toFloatArray()).containsExactly(k, k, k);
    }
  }

  @Test
  void entropyIsTheClosedForm() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      DiagonalGaussian q = new DiagonalGaussian(m.create(MEAN).reshape(1, 3), m.create(LOG_VAR).reshape(1, 3));
      double expected = 0;
      for (int i = 0; i < 3; i++) {
        expected += 0.5 * Math.log(2 * Math.PI * Math.E * Math.exp(LOG_VAR[i]));
      }
      assertThat((double) q.entropy().orElseThrow().getFloat(0)).isCloseTo(expected, within(1e-5));
    }
  }
}
